import type { SqlQuery } from '@prisma/driver-adapter-utils';

import { MAX_PREPARED_STATEMENTS, PreparedStatementNames } from './prepared-statements';

function query(sql: string): SqlQuery {
  return { sql, args: [], argTypes: [] };
}

describe(PreparedStatementNames.name, () => {
  it('names one text the same every time', () => {
    const names = new PreparedStatementNames();

    expect(names.nameFor(query('SELECT 1'))).toBe(names.nameFor(query('SELECT 1')));
  });

  it('names two texts differently', () => {
    const names = new PreparedStatementNames();

    expect(names.nameFor(query('SELECT 1'))).not.toBe(names.nameFor(query('SELECT 2')));
  });

  it('gives the same text the same name in every instance', () => {
    expect(new PreparedStatementNames().nameFor(query('SELECT 1'))).toBe(
      new PreparedStatementNames().nameFor(query('SELECT 1')),
    );
  });

  it('fits PostgreSQL identifiers', () => {
    const name = new PreparedStatementNames().nameFor(query('SELECT 1'));

    expect(name).toMatch(/^prisma_[A-Za-z0-9_-]{32}$/);
    expect(name.length).toBeLessThanOrEqual(63);
  });

  it('leaves new texts unnamed past the cap', () => {
    const names = new PreparedStatementNames();

    for (let index = 0; index < MAX_PREPARED_STATEMENTS; index += 1) {
      names.nameFor(query(`SELECT ${index}`));
    }

    expect(names.nameFor(query('SELECT 0'))).not.toBe('');
    expect(names.nameFor(query('SELECT -1'))).toBe('');
  });
});
