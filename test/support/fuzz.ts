/** A small seeded pseudo-random generator (mulberry32), so a failing fuzz run can be repeated. */
export class SeededRandom {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;

    let t = this.state;

    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);

    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(0, items.length - 1)];
  }

  chance(probability: number): boolean {
    return this.next() < probability;
  }

  bytes(length: number): Buffer {
    return Buffer.from(Array.from({ length }, () => this.int(0, 255)));
  }

  string(maxLength = 40): string {
    const alphabets = [
      'abcdefghijklmnopqrstuvwxyz0123456789',
      ' \t\n\r"\\/{}[],:',
      'éüß日本語🙂👋\u2028\u0000\u001f\ud83d',
      '+0123456789()- ',
    ];
    const alphabet = [...this.pick(alphabets)];

    return Array.from({ length: this.int(0, maxLength) }, () => this.pick(alphabet)).join('');
  }

  /** Returns a random JSON value of bounded depth. */
  json(depth = 4): unknown {
    const kind = this.int(0, depth > 0 ? 7 : 4);

    switch (kind) {
      case 0:
        return null;
      case 1:
        return this.chance(0.5);
      case 2:
        return this.pick([
          0,
          -1,
          1.5,
          1e308,
          -1e-308,
          Number.MAX_SAFE_INTEGER,
          this.int(-1e9, 1e9),
        ]);
      case 3:
      case 4:
        return this.string();
      case 5:
      case 6:
        return Object.fromEntries(
          Array.from({ length: this.int(0, 5) }, (_, i) => [
            `x_${i}_${this.int(0, 999)}`,
            this.json(depth - 1),
          ]),
        );
      default:
        return Array.from({ length: this.int(0, 5) }, () => this.json(depth - 1));
    }
  }
}

/** Builds JSON text nesting `depth` arrays, without recursion. */
export function deepJson(depth: number): string {
  return `${'['.repeat(depth)}${']'.repeat(depth)}`;
}
