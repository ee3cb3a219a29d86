/** A group of V8 map events: the event type, V8's reason and the function whose code caused them. */
export interface MapEventGroup {
  count: number;
  type: string;
  reason: string;
  source: string;
}

interface CodeRange {
  start: number;
  end: number;
  name: string;
}

function sourceOf(codes: readonly CodeRange[], address: number): string {
  let low = 0;
  let high = codes.length - 1;

  while (low <= high) {
    const middle = (low + high) >> 1;
    const code = codes[middle];

    if (address < code.start) {
      high = middle - 1;
    } else if (address >= code.end) {
      low = middle + 1;
    } else {
      return code.name;
    }
  }

  return address === 0 ? '(runtime)' : '(unknown code)';
}

/**
 * Groups the map events of a V8 log written with `node --log-maps --logfile=…` that fall in the
 * last `windowMs` of the log, most frequent first. A map event that keeps recurring under steady
 * load means code that gives each call a hidden class of its own. Code that V8 moved after
 * creating it is not followed, so a few events may show as "(unknown code)".
 */
export function groupMapEvents(log: string, windowMs: number): MapEventGroup[] {
  const codes: CodeRange[] = [];
  const events: { time: number; type: string; pc: number; reason: string }[] = [];

  for (const line of log.split('\n')) {
    const fields = line.split(',');

    if (fields[0] === 'code-creation' && fields.length >= 7) {
      const start = Number.parseInt(fields[4], 16);

      codes.push({ start, end: start + Number(fields[5]), name: fields.slice(6).join(',') });
    } else if (fields[0] === 'map' && fields.length >= 9) {
      events.push({
        time: Number(fields[2]),
        type: fields[1],
        pc: Number.parseInt(fields[5], 16),
        reason: fields[8],
      });
    }
  }

  codes.sort((a, b) => a.start - b.start);

  const lastTime = events.reduce((latest, event) => Math.max(latest, event.time), 0);
  const groups = new Map<string, MapEventGroup>();

  // Log times are in microseconds.
  for (const event of events.filter(({ time }) => time >= lastTime - windowMs * 1000)) {
    const source = sourceOf(codes, event.pc);
    const key = `${event.type}|${event.reason}|${source}`;
    const group = groups.get(key) ?? { count: 0, type: event.type, reason: event.reason, source };

    group.count += 1;
    groups.set(key, group);
  }

  return [...groups.values()].sort((a, b) => b.count - a.count);
}
