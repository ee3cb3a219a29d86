import type { NestFastifyApplication } from '@nestjs/platform-fastify';

import { createTestApp } from './support/create-test-app';
import { seedTenant } from './support/fixtures';
import type { SeededTenant } from './support/fixtures';
import { seedConversations, seedMessages, seedOpportunities } from './support/tenant-api-fixtures';

interface Row {
  id: string;
  createdAt: Date;
}

interface PageBody {
  data: { id: string }[];
  nextCursor: string | null;
}

// The API's order: newest first, and by id (descending) among rows created in the same millisecond.
function inListOrder(rows: Row[]): string[] {
  return [...rows]
    .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || (a.id < b.id ? 1 : -1))
    .map((row) => row.id);
}

// Twenty rows in groups of four that share a timestamp, so page boundaries fall inside groups.
function sharedTimestamps(): Date[] {
  const start = Date.parse('2026-02-01T08:00:00.000Z');

  return Array.from({ length: 20 }, (_, index) => new Date(start + Math.floor(index / 4) * 1000));
}

/**
 * Walks every page while new rows arrive between requests, and checks that the walk returns each
 * row that existed at the start exactly once, in order, and none of the rows added during the walk.
 */
describe('Tenant API pagination while rows arrive', () => {
  let app: NestFastifyApplication;
  let tenant: SeededTenant;

  beforeAll(async () => {
    app = await createTestApp();
    tenant = await seedTenant();
  });

  afterAll(async () => {
    await app.close();
  });

  async function walk(
    url: string,
    addRows: () => Promise<Row[]>,
  ): Promise<{ seen: string[]; added: string[] }> {
    const seen: string[] = [];
    const added: string[] = [];
    let cursor: string | null = null;

    do {
      const separator = url.includes('?') ? '&' : '?';
      const pageUrl = `${url}${separator}limit=3${cursor ? `&cursor=${cursor}` : ''}`;
      const response = await app.inject({
        method: 'GET',
        url: pageUrl,
        headers: { authorization: `Bearer ${tenant.readKey}` },
      });
      const body: PageBody = response.json();

      expect(response.statusCode).toBe(200);
      seen.push(...body.data.map((row) => row.id));
      cursor = body.nextCursor;
      added.push(...(await addRows()).map((row) => row.id));
    } while (cursor);

    return { seen, added };
  }

  it('pages conversations', async () => {
    const existing = await seedConversations(tenant.tenantId, sharedTimestamps());
    const { seen, added } = await walk('/v1/conversations', () =>
      seedConversations(tenant.tenantId, [new Date(), new Date()]),
    );

    expect(seen).toEqual(inListOrder(existing));
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.filter((id) => added.includes(id))).toEqual([]);
    expect(added.length).toBeGreaterThan(0);
  });

  it('pages opportunities of a pipeline', async () => {
    const existing = await seedOpportunities(
      tenant.tenantId,
      tenant.pipelineId,
      sharedTimestamps().map((createdAt) => ({ createdAt })),
    );
    const { seen, added } = await walk(`/v1/opportunities?pipelineId=${tenant.pipelineId}`, () =>
      seedOpportunities(tenant.tenantId, tenant.pipelineId, [{}, {}]),
    );

    expect(seen).toEqual(inListOrder(existing));
    expect(seen.filter((id) => added.includes(id))).toEqual([]);
  });

  it('pages messages of a conversation', async () => {
    const [conversation] = await seedConversations(tenant.tenantId, [
      new Date('2026-01-01T00:00:00Z'),
    ]);
    const timestamps = sharedTimestamps();
    const ids = await seedMessages(tenant.tenantId, conversation.id, timestamps);
    const existing = ids.map((id, index) => ({ id, createdAt: timestamps[index] }));
    const { seen, added } = await walk(
      `/v1/conversations/${conversation.id}/messages`,
      async () => {
        const at = [new Date(), new Date()];
        const newIds = await seedMessages(tenant.tenantId, conversation.id, at);

        return newIds.map((id, index) => ({ id, createdAt: at[index] }));
      },
    );

    expect(seen).toEqual(inListOrder(existing));
    expect(seen.filter((id) => added.includes(id))).toEqual([]);
  });
});
