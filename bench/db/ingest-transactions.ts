/**
 * The ingest transaction as pgbench scripts, one per tenant, so PostgreSQL's own ceiling can be
 * measured without Node: the seven statements the service sent before the store became one
 * statement (`seven-statements`), the five it sent next (`five-statements`), and the one call of
 * store_inbound_message it sends now (`one-call`, and `one-call-with-job` with the reply job that
 * the other variants leave out). `:c` picks one of the tenant's 100 contacts and `:r` makes the
 * message id unique.
 */
const contact = `'+1415555' || lpad(CAST(:t * 100 + :c AS text), 4, '0')`;
const messageId = `'pgbench-' || :r`;

function header(tenantId: string, tenantIndex: number): string[] {
  return [
    `\\set t ${tenantIndex}`,
    '\\set c random(0, 99)',
    '\\set r random(1, 1000000000000)',
    'BEGIN;',
    `SELECT set_config('app.tenant_id', '${tenantId}', true);`,
    `INSERT INTO webhook_events (id, tenant_id, source, dedup_key)
     VALUES (gen_random_uuid(), '${tenantId}', 'blooio', ${messageId} || ':' || 'message.received')
     ON CONFLICT (tenant_id, source, dedup_key) DO NOTHING RETURNING id;`,
  ];
}

export function sevenStatements(tenantId: string, tenantIndex: number, ourNumber: string): string {
  return [
    ...header(tenantId, tenantIndex),
    `INSERT INTO contacts (id, tenant_id, phone, updated_at)
     VALUES (gen_random_uuid(), '${tenantId}', ${contact}, now())
     ON CONFLICT (tenant_id, phone) DO UPDATE SET updated_at = now() RETURNING id AS contact_id \\gset`,
    `INSERT INTO conversations
       (id, tenant_id, contact_id, phone, our_number, protocol, last_message_at, updated_at)
     VALUES (gen_random_uuid(), '${tenantId}', CAST(:contact_id AS uuid), ${contact}, '${ourNumber}', 'imessage', now(), now())
     ON CONFLICT (tenant_id, phone, our_number) DO UPDATE SET
       last_message_at = GREATEST(conversations.last_message_at, EXCLUDED.last_message_at),
       protocol = COALESCE(EXCLUDED.protocol, conversations.protocol), updated_at = now()
     RETURNING id AS conversation_id \\gset`,
    `INSERT INTO messages
       (id, tenant_id, conversation_id, direction, provider_message_id, body, attachments,
        protocol, status, reply_state, received_at, updated_at)
     VALUES (gen_random_uuid(), '${tenantId}', CAST(:conversation_id AS uuid), 'inbound', ${messageId},
       'Hi, can I book a cleaning next week?', '[]', 'imessage', 'received', 'awaiting_reply', now(), now())
     ON CONFLICT (tenant_id, provider_message_id) DO NOTHING RETURNING id;`,
    'COMMIT;',
  ].join('\n');
}

export function fiveStatements(tenantId: string, tenantIndex: number, ourNumber: string): string {
  return [
    ...header(tenantId, tenantIndex),
    `WITH contact AS (
       INSERT INTO contacts (id, tenant_id, phone, updated_at)
       VALUES (gen_random_uuid(), '${tenantId}', ${contact}, now())
       ON CONFLICT (tenant_id, phone) DO UPDATE SET updated_at = now() RETURNING id
     ), conversation AS (
       INSERT INTO conversations
         (id, tenant_id, contact_id, phone, our_number, protocol, last_message_at, updated_at)
       SELECT gen_random_uuid(), '${tenantId}', contact.id, ${contact}, '${ourNumber}', 'imessage', now(), now()
       FROM contact
       ON CONFLICT (tenant_id, phone, our_number) DO UPDATE SET
         last_message_at = GREATEST(conversations.last_message_at, EXCLUDED.last_message_at),
         protocol = COALESCE(EXCLUDED.protocol, conversations.protocol), updated_at = now()
       RETURNING id
     ), message AS (
       INSERT INTO messages
         (id, tenant_id, conversation_id, direction, provider_message_id, body, attachments,
          protocol, status, reply_state, received_at, updated_at)
       SELECT gen_random_uuid(), '${tenantId}', conversation.id, 'inbound', ${messageId},
         'Hi, can I book a cleaning next week?', '[]', 'imessage', 'received', 'awaiting_reply', now(), now()
       FROM conversation
       ON CONFLICT (tenant_id, provider_message_id) DO NOTHING RETURNING id
     )
     SELECT contact.id, conversation.id, message.id
     FROM contact CROSS JOIN conversation LEFT JOIN message ON true;`,
    'COMMIT;',
  ].join('\n');
}

function oneCallOf(replyState: 'none' | 'awaiting_reply') {
  return (tenantId: string, tenantIndex: number, ourNumber: string): string =>
    [
      `\\set t ${tenantIndex}`,
      '\\set c random(0, 99)',
      '\\set r random(1, 1000000000000)',
      `SELECT outcome, contact_id, conversation_id, message_id FROM store_inbound_message(
         '${tenantId}', 'blooio', ${messageId} || ':' || 'message.received', 'phone', ${contact},
         ${contact}, '${ourNumber}', ${messageId}, 'imessage', 'Hi, can I book a cleaning next week?',
         '[]', now(), '${replyState}', 5);`,
    ].join('\n');
}

export const oneCall = oneCallOf('none');
export const oneCallWithJob = oneCallOf('awaiting_reply');

/**
 * Ten messages in one call of store_inbound_messages, each with its reply job: what the service
 * sends when messages wait for a free connection. `:r` and `:c` vary per message by offset.
 */
export function batchOfTen(tenantId: string, tenantIndex: number, ourNumber: string): string {
  const elements = Array.from({ length: 10 }, (_, offset) => {
    const id = `'pgbench-' || CAST(:r::bigint + ${offset} AS text)`;
    const phone = `'+1415555' || lpad(CAST(:t * 100 + (:c + ${offset}) % 100 AS text), 4, '0')`;

    return `jsonb_build_object('tenantId', '${tenantId}'::text, 'source', 'blooio'::text,
      'dedupKey', ${id} || ':' || 'message.received', 'contactKind', 'phone'::text,
      'contactValue', ${phone}, 'chatAddress', ${phone}, 'ourNumber', '${ourNumber}'::text,
      'providerMessageId', ${id}, 'protocol', 'imessage'::text,
      'body', 'Hi, can I book a cleaning next week?'::text, 'attachments', '[]'::jsonb,
      'receivedAt', now(), 'replyState', 'awaiting_reply'::text)`;
  });

  return [
    `\\set t ${tenantIndex}`,
    '\\set c random(0, 99)',
    '\\set r random(1, 1000000000000)',
    `SELECT count(*) FROM store_inbound_messages(jsonb_build_array(${elements.join(',\n')}), 5);`,
  ].join('\n');
}
