import { decodeCursor, encodeCursor, InvalidCursorError } from './cursor';
import { toPage } from './page';

const position = {
  createdAt: new Date('2026-03-01T12:00:00.123Z'),
  id: 'c0a80101-0000-4000-8000-000000000001',
};

describe('encodeCursor', () => {
  it('round-trips a position', () => {
    expect(decodeCursor(encodeCursor(position))).toEqual(position);
  });

  it('produces URL-safe text', () => {
    expect(encodeCursor(position)).toMatch(/^[A-Za-z0-9_-]+$/);
  });
});

describe('decodeCursor', () => {
  const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

  it.each([
    ['not JSON', Buffer.from('{').toString('base64url')],
    ['an object', encode({ createdAt: position.createdAt, id: position.id })],
    ['three items', encode([position.createdAt.toISOString(), position.id, 1])],
    ['a number time', encode([1, position.id])],
    ['a bad id', encode([position.createdAt.toISOString(), 'abc'])],
    ['a bad time', encode(['2026-02-30T00:00:00.000Z', position.id])],
    ['a time without ms', encode(['2026-03-01T12:00:00Z', position.id])],
    ['year 0', encode(['0000-01-01T00:00:00.000Z', position.id])],
    ['a negative year', encode(['-000100-01-01T00:00:00.000Z', position.id])],
    ['year 10000', encode(['+010000-01-01T00:00:00.000Z', position.id])],
  ])('rejects %s', (_, cursor) => {
    expect(() => decodeCursor(cursor)).toThrow(InvalidCursorError);
  });
});

describe('toPage', () => {
  const rows = [1, 2, 3].map((n) => ({ ...position, id: `${position.id.slice(0, -1)}${n}` }));

  it('drops the look-ahead row and points at the last row', () => {
    const page = toPage(rows, 2);

    expect(page.data).toEqual(rows.slice(0, 2));
    expect(decodeCursor(page.nextCursor ?? '')).toEqual(rows[1]);
  });

  it('ends without a cursor', () => {
    expect(toPage(rows, 3)).toEqual({ data: rows, nextCursor: null });
  });
});
