import { createHash } from 'node:crypto';

import type { SqlQuery } from '@prisma/driver-adapter-utils';

/** Maximum number of distinct SQL texts that get a statement name. Texts seen after that run unprepared. */
export const MAX_PREPARED_STATEMENTS = 500;

/**
 * Names Prisma's statements for node-postgres, which then prepares each distinct SQL text once per
 * connection and afterwards only binds and executes it. PostgreSQL skips parsing and, once it
 * settles on a generic plan, planning too. The name is a hash of the text, so a name never stands
 * for two texts. Past MAX_PREPARED_STATEMENTS texts (say, generated IN lists of many lengths) new
 * texts get the empty name, which node-postgres runs unprepared, so no connection keeps an unbounded number of prepared statements.
 * NOTE: a migration that changes the columns a prepared statement returns makes it fail with
 * "cached plan must not change result type" until the connection is replaced: restart the
 * service after such a migration.
 */
export class PreparedStatementNames {
  private readonly names = new Map<string, string>();

  readonly nameFor = (query: SqlQuery): string => {
    const known = this.names.get(query.sql);

    if (known !== undefined || this.names.size >= MAX_PREPARED_STATEMENTS) {
      return known ?? '';
    }

    const name = `prisma_${createHash('sha256').update(query.sql).digest('base64url').slice(0, 32)}`;

    this.names.set(query.sql, name);

    return name;
  };
}
