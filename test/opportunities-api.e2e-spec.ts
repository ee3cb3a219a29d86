import { randomUUID } from 'node:crypto';

import type { NestFastifyApplication } from '@nestjs/platform-fastify';

import { createTestApp } from './support/create-test-app';
import { seedTenant } from './support/fixtures';
import type { SeededTenant } from './support/fixtures';
import {
  asTenant,
  seedOpportunities,
  seedPipeline,
  timesBefore,
} from './support/tenant-api-fixtures';
import type { SeededOpportunity } from './support/tenant-api-fixtures';

describe('Opportunities API', () => {
  let app: NestFastifyApplication;
  let tenant: SeededTenant;
  let other: SeededTenant;
  let secondPipelineId: string;
  let opportunities: SeededOpportunity[];
  let otherOpportunity: SeededOpportunity;

  const request = (
    method: 'GET' | 'PATCH',
    url: string,
    options: { key?: string; payload?: unknown } = {},
  ) =>
    app.inject({
      method,
      url,
      headers: { authorization: `Bearer ${options.key ?? tenant.apiKey}` },
      payload: options.payload as object | undefined,
    });

  const idsOf = (body: { data: { id: string }[] }) => body.data.map((row) => row.id);

  const patchStatus = (id: string, payload: unknown, key?: string) =>
    request('PATCH', `/v1/opportunities/${id}/status`, { key, payload });

  beforeAll(async () => {
    app = await createTestApp();
    [tenant, other] = await Promise.all([seedTenant(), seedTenant()]);
    secondPipelineId = await seedPipeline(tenant.tenantId, 'Referrals');

    const times = timesBefore(new Date('2026-03-01T12:00:00Z'), 6);

    opportunities = [
      ...(await seedOpportunities(tenant.tenantId, tenant.pipelineId, [
        { status: 'new', createdAt: times[0] },
        { status: 'contacted', createdAt: times[1] },
        { status: 'new', createdAt: times[2] },
        { status: 'won', createdAt: times[3] },
      ])),
      ...(await seedOpportunities(tenant.tenantId, secondPipelineId, [
        { status: 'new', createdAt: times[4] },
        { status: 'lost', createdAt: times[5] },
      ])),
    ];
    [otherOpportunity] = await seedOpportunities(other.tenantId, other.pipelineId, [{}]);
  });

  afterAll(async () => {
    await app.close();
  });

  describe('GET /v1/opportunities', () => {
    it('lists own opportunities newest first', async () => {
      const response = await request('GET', '/v1/opportunities', { key: tenant.readKey });
      const body = response.json();

      expect(response.statusCode).toBe(200);
      expect(idsOf(body)).toEqual(opportunities.map((o) => o.id).reverse());
      expect(body.data[0]).toEqual({
        id: opportunities[5].id,
        pipelineId: secondPipelineId,
        contactId: expect.any(String),
        status: 'lost',
        valueCents: null,
        currency: 'USD',
        appointmentAt: null,
        source: null,
        createdAt: opportunities[5].createdAt.toISOString(),
        updatedAt: opportunities[5].createdAt.toISOString(),
      });
    });

    it('filters by pipeline', async () => {
      const body = (
        await request('GET', `/v1/opportunities?pipelineId=${tenant.pipelineId}`)
      ).json();

      expect(idsOf(body)).toEqual(
        opportunities
          .slice(0, 4)
          .map((o) => o.id)
          .reverse(),
      );
    });

    it('filters by pipeline and status', async () => {
      const body = (
        await request('GET', `/v1/opportunities?pipelineId=${tenant.pipelineId}&status=new`)
      ).json();

      expect(idsOf(body)).toEqual([opportunities[2].id, opportunities[0].id]);
    });

    it('filters by status alone', async () => {
      const body = (await request('GET', '/v1/opportunities?status=new')).json();

      expect(idsOf(body)).toEqual([opportunities[4].id, opportunities[2].id, opportunities[0].id]);
    });

    it('returns nothing for another tenant’s pipeline', async () => {
      const body = (
        await request('GET', `/v1/opportunities?pipelineId=${other.pipelineId}`)
      ).json();

      expect(body).toEqual({ data: [], nextCursor: null });
    });

    it('pages with a cursor inside a filter', async () => {
      const seen: string[] = [];
      let cursor: string | null = null;

      do {
        const url: string = `/v1/opportunities?status=new&limit=1${cursor ? `&cursor=${cursor}` : ''}`;
        const body: { data: { id: string }[]; nextCursor: string | null } = (
          await request('GET', url)
        ).json();

        seen.push(...idsOf(body));
        cursor = body.nextCursor;
      } while (cursor);

      expect(seen).toEqual([opportunities[4].id, opportunities[2].id, opportunities[0].id]);
    });

    it.each([
      ['status=open', 'status must be one of: new, contacted, qualified, booked, won, lost'],
      ['pipelineId=sales', 'pipelineId must be a UUID'],
      ['limit=500', 'limit must not be greater than 200'],
      ['contactId=x', 'property contactId should not exist'],
      [
        `cursor=${Buffer.from('["0000-01-01T00:00:00.000Z","00000000-0000-4000-8000-000000000000"]').toString('base64url')}`,
        'cursor is invalid',
      ],
    ])('rejects %s', async (query, message) => {
      const response = await request('GET', `/v1/opportunities?${query}`);

      expect(response.statusCode).toBe(400);
      expect(JSON.stringify(response.json().message)).toContain(message);
    });
  });

  describe('GET /v1/opportunities/:id', () => {
    it('returns one opportunity', async () => {
      const response = await request('GET', `/v1/opportunities/${opportunities[1].id}`);

      expect(response.statusCode).toBe(200);
      expect(response.json()).toMatchObject({ id: opportunities[1].id, status: 'contacted' });
    });

    it('answers another tenant’s id like a missing one', async () => {
      const foreign = await request('GET', `/v1/opportunities/${otherOpportunity.id}`);
      const missing = await request('GET', `/v1/opportunities/${randomUUID()}`);

      expect(foreign.statusCode).toBe(404);
      expect(missing.statusCode).toBe(404);
      expect(foreign.json().code).toBe('opportunity_not_found');
      expect(Object.keys(foreign.json()).sort()).toEqual(Object.keys(missing.json()).sort());
    });

    it('rejects a malformed id', async () => {
      const response = await request('GET', '/v1/opportunities/42');

      expect(response.statusCode).toBe(400);
      expect(response.json().message).toBe('id must be a UUID');
    });
  });

  describe('PATCH /v1/opportunities/:id/status', () => {
    let walk: SeededOpportunity;

    beforeAll(async () => {
      [walk] = await seedOpportunities(tenant.tenantId, tenant.pipelineId, [{}]);
    });

    it('walks the pipeline from new to won', async () => {
      const appointmentAt = '2026-04-02T15:30:00.000Z';
      const steps = [
        { status: 'contacted' },
        { status: 'qualified' },
        { status: 'booked', appointmentAt },
        { status: 'won' },
      ];

      for (const step of steps) {
        const response = await patchStatus(walk.id, step);

        expect(response.statusCode).toBe(200);
        expect(response.json()).toMatchObject({ id: walk.id, status: step.status });
      }

      const stored = (await request('GET', `/v1/opportunities/${walk.id}`)).json();

      expect(stored.status).toBe('won');
      expect(stored.appointmentAt).toBe(appointmentAt);
      expect(new Date(stored.updatedAt).getTime()).toBeGreaterThan(walk.createdAt.getTime());
    });

    it('writes each change to the audit log', async () => {
      const rows = await asTenant(tenant.tenantId, (client) =>
        client.query<{ actor: string; details: Record<string, unknown> }>(
          `SELECT actor, details FROM audit_log
           WHERE action = 'opportunity.status_changed' AND details->>'opportunityId' = $1
           ORDER BY id`,
          [walk.id],
        ),
      );

      expect(rows.rows.map((row) => [row.details.from, row.details.to])).toEqual([
        ['new', 'contacted'],
        ['contacted', 'qualified'],
        ['qualified', 'booked'],
        ['booked', 'won'],
      ]);
      expect(rows.rows[0].actor).toMatch(/^api-key:[0-9a-f-]{36}$/);
    });

    it.each([
      [
        'new',
        'booked',
        'Cannot move an opportunity from new to booked: the next status is contacted (or lost)',
      ],
      [
        'contacted',
        'new',
        'Cannot move an opportunity from contacted to new: the next status is qualified (or lost)',
      ],
      ['won', 'lost', 'Opportunity is already won: a closed opportunity cannot change status'],
      ['lost', 'new', 'Opportunity is already lost: a closed opportunity cannot change status'],
      ['qualified', 'qualified', 'Opportunity is already qualified'],
    ])('rejects %s → %s with 409', async (from, to, message) => {
      const [row] = await seedOpportunities(tenant.tenantId, tenant.pipelineId, [{ status: from }]);
      const payload =
        to === 'booked' ? { status: to, appointmentAt: '2026-04-02T15:30:00Z' } : { status: to };
      const response = await patchStatus(row.id, payload);

      expect(response.statusCode).toBe(409);
      expect(response.json()).toMatchObject({ code: 'invalid_status_transition', message });
    });

    it.each(['new', 'contacted', 'qualified', 'booked'])('allows %s → lost', async (from) => {
      const [row] = await seedOpportunities(tenant.tenantId, tenant.pipelineId, [{ status: from }]);
      const response = await patchStatus(row.id, { status: 'lost' });

      expect(response.statusCode).toBe(200);
      expect(response.json().status).toBe('lost');
    });

    it.each([
      [{ status: 'booked' }, 'appointmentAt is required when status is booked'],
      [
        { status: 'booked', appointmentAt: 'tomorrow' },
        'appointmentAt must be an ISO 8601 timestamp',
      ],
      [
        { status: 'booked', appointmentAt: '9999-12-31T23:59:59-14:00' },
        'appointmentAt must be an ISO 8601 timestamp',
      ],
      [
        { status: 'booked', appointmentAt: '2026-W05-3T10:00:00Z' },
        'appointmentAt must be an ISO 8601 timestamp',
      ],
      [
        { status: 'contacted', appointmentAt: '2026-04-02T15:30:00Z' },
        'appointmentAt is only allowed when status is booked',
      ],
      [{ status: 'archived' }, 'status must be one of'],
      [{}, 'status must be one of'],
      [{ status: 'contacted', note: 'x' }, 'property note should not exist'],
      [{ status: ['contacted'] }, 'status must be one of'],
    ])('rejects body %j with 400', async (payload, message) => {
      const [row] = await seedOpportunities(tenant.tenantId, tenant.pipelineId, [
        { status: 'qualified' },
      ]);
      const response = await patchStatus(row.id, payload);

      expect(response.statusCode).toBe(400);
      expect(JSON.stringify(response.json().message)).toContain(message);
    });

    it('lets exactly one of concurrent updates win', async () => {
      const [row] = await seedOpportunities(tenant.tenantId, tenant.pipelineId, [{}]);
      const responses = await Promise.all(
        Array.from({ length: 8 }, () => patchStatus(row.id, { status: 'contacted' })),
      );
      const statuses = responses.map((response) => response.statusCode).sort();
      const audit = await asTenant(tenant.tenantId, (client) =>
        client.query(
          `SELECT 1 FROM audit_log WHERE action = 'opportunity.status_changed' AND details->>'opportunityId' = $1`,
          [row.id],
        ),
      );

      expect(statuses).toEqual([200, 409, 409, 409, 409, 409, 409, 409]);
      expect(audit.rowCount).toBe(1);

      for (const response of responses.filter((r) => r.statusCode === 409)) {
        expect(['invalid_status_transition', 'status_changed_concurrently']).toContain(
          response.json().code,
        );
      }
    });

    it('answers another tenant’s id with 404', async () => {
      const response = await patchStatus(otherOpportunity.id, { status: 'contacted' });

      expect(response.statusCode).toBe(404);
      expect(response.json().code).toBe('opportunity_not_found');
    });

    it('rejects a malformed id', async () => {
      const response = await patchStatus('opp-1', { status: 'contacted' });

      expect(response.statusCode).toBe(400);
    });

    it('needs the write scope', async () => {
      const response = await patchStatus(
        opportunities[0].id,
        { status: 'contacted' },
        tenant.readKey,
      );

      expect(response.statusCode).toBe(403);
      expect(response.json().message).toBe('API key lacks the required scope: write');
    });
  });

  describe('GET /v1/pipelines', () => {
    it('lists own pipelines, default first', async () => {
      const response = await request('GET', '/v1/pipelines', { key: tenant.readKey });

      expect(response.statusCode).toBe(200);
      expect(response.json()).toEqual({
        data: [
          { id: tenant.pipelineId, name: 'Sales', isDefault: true, createdAt: expect.any(String) },
          {
            id: secondPipelineId,
            name: 'Referrals',
            isDefault: false,
            createdAt: expect.any(String),
          },
        ],
      });
    });

    it('rejects a request without a key', async () => {
      const response = await app.inject({ method: 'GET', url: '/v1/pipelines' });

      expect(response.statusCode).toBe(401);
    });
  });
});
