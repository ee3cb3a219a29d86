import { randomUUID } from 'node:crypto';

import type { Client } from 'pg';

import { seedTenant } from './support/fixtures';
import type { SeededTenant } from './support/fixtures';
import { appDatabaseUrl, connectAs } from './support/test-database';

async function inTenant<T>(client: Client, tenantId: string, work: () => Promise<T>): Promise<T> {
  await client.query('BEGIN');

  try {
    await client.query(`SELECT set_config('app.tenant_id', $1, true)`, [tenantId]);
    const result = await work();

    await client.query('COMMIT');

    return result;
  } catch (error) {
    await client.query('ROLLBACK');
    throw error;
  }
}

describe('Database roles and row-level security', () => {
  let app: Client;
  let tenantA: SeededTenant;
  let tenantB: SeededTenant;
  let contactOfB: string;

  beforeAll(async () => {
    app = await connectAs(appDatabaseUrl);
    tenantA = await seedTenant();
    tenantB = await seedTenant();
    contactOfB = randomUUID();
    await inTenant(app, tenantB.tenantId, () =>
      app.query(
        `INSERT INTO contacts (id, tenant_id, phone, updated_at) VALUES ($1, $2, '+15005550006', now())`,
        [contactOfB, tenantB.tenantId],
      ),
    );
  });

  afterAll(async () => {
    await app.end();
  });

  it('app role is neither superuser nor BYPASSRLS', async () => {
    const { rows } = await app.query(
      `SELECT rolsuper, rolbypassrls, rolcreaterole, rolcreatedb FROM pg_roles WHERE rolname = current_user`,
    );

    expect(rows[0]).toEqual({
      rolsuper: false,
      rolbypassrls: false,
      rolcreaterole: false,
      rolcreatedb: false,
    });
  });

  it('app role owns no relation', async () => {
    const { rows } = await app.query(
      `SELECT count(*)::int AS owned FROM pg_class WHERE relowner = current_user::regrole`,
    );

    expect(rows[0].owned).toBe(0);
  });

  it('app role cannot switch to the owner role', async () => {
    const { rows } = await app.query(
      `SELECT pg_has_role(current_user, 'aias_owner', 'MEMBER') AS is_member`,
    );

    expect(rows[0].is_member).toBe(false);
  });

  it('query without a tenant returns nothing', async () => {
    const { rows } = await app.query('SELECT count(*)::int AS visible FROM contacts');

    expect(rows[0].visible).toBe(0);
  });

  it('reused connection after a tenant transaction returns nothing', async () => {
    await inTenant(app, tenantB.tenantId, () => app.query('SELECT 1'));
    const { rows } = await app.query('SELECT count(*)::int AS visible FROM contacts');

    expect(rows[0].visible).toBe(0);
  });

  it('tenant sees its own rows only', async () => {
    const visibleToA = await inTenant(app, tenantA.tenantId, () =>
      app.query('SELECT id FROM contacts'),
    );
    const visibleToB = await inTenant(app, tenantB.tenantId, () =>
      app.query('SELECT id FROM contacts'),
    );

    expect(visibleToA.rows.map((row) => row.id)).not.toContain(contactOfB);
    expect(visibleToB.rows.map((row) => row.id)).toContain(contactOfB);
  });

  it('rejects an insert into another tenant', async () => {
    await expect(
      inTenant(app, tenantA.tenantId, () =>
        app.query(
          `INSERT INTO contacts (id, tenant_id, phone, updated_at) VALUES ($1, $2, '+15005550007', now())`,
          [randomUUID(), tenantB.tenantId],
        ),
      ),
    ).rejects.toThrow(/row-level security/);
  });

  it('rejects moving a row to another tenant', async () => {
    const id = randomUUID();

    await inTenant(app, tenantA.tenantId, () =>
      app.query(
        `INSERT INTO contacts (id, tenant_id, phone, updated_at) VALUES ($1, $2, '+15005550008', now())`,
        [id, tenantA.tenantId],
      ),
    );

    await expect(
      inTenant(app, tenantA.tenantId, () =>
        app.query('UPDATE contacts SET tenant_id = $1 WHERE id = $2', [tenantB.tenantId, id]),
      ),
    ).rejects.toThrow(/row-level security/);
  });

  it('updates and deletes miss rows of another tenant', async () => {
    const updated = await inTenant(app, tenantA.tenantId, () =>
      app.query(`UPDATE contacts SET name = 'hijacked' WHERE id = $1`, [contactOfB]),
    );
    const deleted = await inTenant(app, tenantA.tenantId, () =>
      app.query('DELETE FROM contacts WHERE id = $1', [contactOfB]),
    );

    expect(updated.rowCount).toBe(0);
    expect(deleted.rowCount).toBe(0);
  });

  it('rejects a reference to another tenant row', async () => {
    await expect(
      inTenant(app, tenantA.tenantId, () =>
        app.query(
          `INSERT INTO conversations (id, tenant_id, contact_id, phone, our_number, updated_at)
           VALUES ($1, $2, $3, '+15005550006', $4, now())`,
          [randomUUID(), tenantA.tenantId, contactOfB, tenantA.receivingNumber],
        ),
      ),
    ).rejects.toThrow(/foreign key/);
  });

  it('keeps the audit log append-only', async () => {
    await inTenant(app, tenantA.tenantId, () =>
      app.query(
        `INSERT INTO audit_log (tenant_id, actor, action) VALUES ($1, 'test', 'test.append')`,
        [tenantA.tenantId],
      ),
    );

    await expect(
      inTenant(app, tenantA.tenantId, () => app.query(`UPDATE audit_log SET action = 'changed'`)),
    ).rejects.toThrow(/permission denied/);
    await expect(
      inTenant(app, tenantA.tenantId, () => app.query('DELETE FROM audit_log')),
    ).rejects.toThrow(/permission denied/);
  });

  it('resolves a tenant only through the resolution functions', async () => {
    const { rows } = await app.query(
      'SELECT tenant_id FROM tenant_resolution.tenant_by_number($1)',
      [tenantA.receivingNumber],
    );
    const direct = await app.query('SELECT count(*)::int AS visible FROM sending_numbers');

    expect(rows).toEqual([{ tenant_id: tenantA.tenantId }]);
    expect(direct.rows[0].visible).toBe(0);
  });
});
