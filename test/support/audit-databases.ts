import { randomBytes } from 'node:crypto';

import type { Client } from 'pg';

import { parseAuditCommand } from '../../src/audit/audit-options';
import type { AuditTarget } from '../../src/audit/audit-target';
import type { AuditReport } from '../../src/audit/run-audit';
import { runAudit } from '../../src/audit/run-audit';
import { adminUrl, connectAs, testDatabaseName } from './test-database';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { setupLocalDatabase } = require('../../prisma/setup-local-database.cjs') as {
  setupLocalDatabase(options: {
    database: string;
    reset: boolean;
    adminUrl: string;
  }): Promise<unknown>;
};

/** Returns the superuser URL of a database on the test server. */
export function superuserUrl(database: string): string {
  const url = new URL(adminUrl);

  url.pathname = `/${database}`;

  return url.toString();
}

/**
 * Creates databases and roles for audit tests and removes them all again. One database is
 * migrated once as a template; each test gets a clone (CREATE DATABASE … TEMPLATE) with one
 * mistake applied as superuser. Roles are cluster-wide, so every role a test creates gets a name
 * unique to this run and the real aias_app and aias_resolver roles are never altered.
 */
export class AuditDatabases {
  private readonly suffix = randomBytes(3).toString('hex');
  private readonly prefix = `${testDatabaseName}_a${this.suffix}`;
  private readonly template = `${this.prefix}_tpl`;
  private readonly databases: string[] = [];
  private readonly roles: string[] = [];

  /** Names for the Supabase API roles, passed as --supabase-roles; they exist once a test creates them. */
  readonly supabaseRoles = [this.roleName('anon'), this.roleName('authenticated')];

  async createTemplate(): Promise<void> {
    await setupLocalDatabase({ database: this.template, reset: true, adminUrl });
  }

  /** Returns a role name unique to this run, dropped by dropAll. The caller creates the role. */
  roleName(label: string): string {
    const name = `audit_${label}_${this.suffix}`;

    this.roles.push(name);

    return name;
  }

  /** Clones the migrated template and runs `mistake` in the clone as superuser. */
  async clone(mistake?: string): Promise<string> {
    const database = `${this.prefix}_${this.databases.length + 1}`;

    this.databases.push(database);
    await this.asSuperuser('postgres', (client) =>
      client.query(`CREATE DATABASE ${database} TEMPLATE ${this.template} OWNER aias_owner`),
    );

    if (mistake) {
      await this.asSuperuser(database, (client) => client.query(mistake));
    }

    return database;
  }

  /** Builds the audit target from command-line arguments, as the CLI would. */
  target(database: string, args: string[] = []): AuditTarget {
    const command = parseAuditCommand(
      [
        '--admin-url',
        superuserUrl(database),
        '--supabase-roles',
        this.supabaseRoles.join(','),
        ...args,
      ],
      {},
    );

    if (!command) {
      throw new Error('parseAuditCommand returned no command');
    }

    return command.target;
  }

  /** Clones the template, applies the mistake and audits the clone. */
  async audit(mistake?: string, args: string[] = []): Promise<AuditReport> {
    return this.runAudit(await this.clone(mistake), args);
  }

  runAudit(database: string, args: string[] = []): Promise<AuditReport> {
    return runAudit(this.target(database, args));
  }

  async asSuperuser<T>(database: string, work: (client: Client) => Promise<T>): Promise<T> {
    const client = await connectAs(superuserUrl(database));

    try {
      return await work(client);
    } finally {
      await client.end();
    }
  }

  /**
   * Drops every clone, the template and every role handed out, in that order. Each DROP DATABASE
   * takes about a second on the test server, so clones are dropped over a few connections at once.
   */
  async dropAll(): Promise<void> {
    const pending = [...this.databases];
    const dropClones = async (): Promise<void> => {
      await this.asSuperuser('postgres', async (client) => {
        for (let database = pending.shift(); database; database = pending.shift()) {
          await client.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
        }
      });
    };

    await Promise.all(Array.from({ length: 4 }, dropClones));
    await this.asSuperuser('postgres', async (client) => {
      await client.query(`DROP DATABASE IF EXISTS ${this.template} WITH (FORCE)`);

      for (const role of this.roles) {
        await client.query(`DROP ROLE IF EXISTS ${role}`);
      }
    });
  }
}

/** Returns "check object" for each error and warning, the findings a mistake should produce. */
export function problems(report: AuditReport): string[] {
  return report.findings
    .filter((finding) => finding.severity !== 'info')
    .map((finding) => `${finding.severity} ${finding.check} ${finding.object}`);
}

/** The project's tenant predicate, for building policies in mistakes. */
export const tenantPredicate = `tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid`;
