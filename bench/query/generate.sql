-- Query benchmark data, run as the superuser (row-level security does not apply to it):
-- 50 tenants with three pipelines each, 10,000 contacts per tenant (500,000), two conversations
-- per contact, one per receiving number (1,000,000), and four opportunities per contact
-- (2,000,000) spread over the pipelines and all six statuses. Creation times are spread over a year.
INSERT INTO tenants (id, name, slug)
SELECT gen_random_uuid(), 'Query tenant ' || g, 'query-' || g
FROM generate_series(1, 50) AS g;

INSERT INTO pipelines (id, tenant_id, name, is_default)
SELECT gen_random_uuid(), t.id, p.name, p.name = 'Sales'
FROM tenants AS t
CROSS JOIN (VALUES ('Sales'), ('Renewals'), ('Referrals')) AS p (name);

INSERT INTO contacts (id, tenant_id, phone, created_at, updated_at)
SELECT gen_random_uuid(), t.id, '+1415' || lpad(g::text, 7, '0'), now(), now()
FROM tenants AS t
CROSS JOIN generate_series(0, 9999) AS g;

INSERT INTO conversations
  (id, tenant_id, contact_id, phone, our_number, protocol, last_message_at, created_at, updated_at)
SELECT gen_random_uuid(), c.tenant_id, c.id, c.phone, n.our_number, 'sms',
  now() - random() * interval '365 days', now() - random() * interval '365 days', now()
FROM contacts AS c
CROSS JOIN (VALUES ('+16282000001'), ('+16282000002')) AS n (our_number);

WITH numbered_contacts AS (
  SELECT id, tenant_id, row_number() OVER (PARTITION BY tenant_id ORDER BY id) - 1 AS n
  FROM contacts
), numbered_pipelines AS (
  SELECT id, tenant_id, row_number() OVER (PARTITION BY tenant_id ORDER BY name) - 1 AS n
  FROM pipelines
)
INSERT INTO opportunities
  (id, tenant_id, pipeline_id, contact_id, status, value_cents, created_at, updated_at)
SELECT gen_random_uuid(), c.tenant_id, p.id, c.id,
  (enum_range(NULL::opportunity_status))[1 + ((c.n * 4 + g) % 6)],
  (random() * 100000)::int, now() - random() * interval '365 days', now()
FROM numbered_contacts AS c
CROSS JOIN generate_series(0, 3) AS g
JOIN numbered_pipelines AS p ON p.tenant_id = c.tenant_id AND p.n = (c.n + g) % 3;

-- The shared server runs with autovacuum off, so the visibility map that index-only scans need is
-- set here, as autovacuum would in production.
VACUUM (ANALYZE) tenants, pipelines, contacts, conversations, opportunities;
