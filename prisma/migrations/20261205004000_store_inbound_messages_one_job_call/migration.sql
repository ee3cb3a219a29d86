-- Queues the reply jobs of a batch with one call of graphile_worker.add_jobs instead of one
-- add_job per message. add_job sends a NOTIFY per job, each with a payload of its own, and a
-- transaction that has notified takes a lock at commit that every other notifying commit waits
-- for. add_jobs inserts the batch's jobs in one statement and notifies once. In pgbench, a batch of
-- 10 cost PostgreSQL about 415 µs of CPU per message this way against about 485 µs before
-- (BENCHMARKS.md, "PostgreSQL alone").
--
-- add_jobs gives a job key the 'replace' behaviour, where store_inbound_message uses
-- 'unsafe_dedupe'. Here the two are the same: the key is reply:<message id>, and the message id
-- was generated in this transaction, so no job can hold that key yet.
--
-- store_inbound_message gets p_queue_reply (default true, so existing calls keep queuing their
-- job); the batch passes false and queues the jobs of the messages it stored after the loop. A
-- message that comes back as a duplicate queues nothing.

DROP FUNCTION public.store_inbound_message(uuid, text, text, text, text, text, text, text, text, text, jsonb, timestamptz, public.reply_state, integer);

CREATE FUNCTION public.store_inbound_message(
  p_tenant_id uuid,
  p_source text,
  p_dedup_key text,
  p_contact_kind text,
  p_contact_value text,
  p_chat_address text,
  p_our_number text,
  p_provider_message_id text,
  p_protocol text,
  p_body text,
  p_attachments jsonb,
  p_received_at timestamptz,
  p_reply_state public.reply_state,
  p_reply_max_attempts integer,
  p_queue_reply boolean DEFAULT true
)
RETURNS TABLE (outcome text, contact_id uuid, conversation_id uuid, message_id uuid)
LANGUAGE plpgsql VOLATILE SECURITY INVOKER
AS $$
#variable_conflict use_column
DECLARE
  v_event_id uuid;
  v_contact_id uuid;
  v_conversation_id uuid;
  v_message_id uuid;
BEGIN
  -- Inside a transaction already scoped to another tenant, setting the tenant here would move the
  -- rest of that transaction to this one.
  IF coalesce(nullif(current_setting('app.tenant_id', true), ''), p_tenant_id::text)
      <> p_tenant_id::text THEN
    RAISE EXCEPTION 'the transaction is scoped to another tenant' USING ERRCODE = '42501';
  END IF;

  PERFORM pg_catalog.set_config('app.tenant_id', p_tenant_id::text, true);

  INSERT INTO public.webhook_events (id, tenant_id, source, dedup_key)
  VALUES (gen_random_uuid(), p_tenant_id, p_source, p_dedup_key)
  ON CONFLICT (tenant_id, source, dedup_key) DO NOTHING
  RETURNING id INTO v_event_id;

  IF v_event_id IS NULL THEN
    RETURN QUERY SELECT 'duplicate'::text, NULL::uuid, NULL::uuid, NULL::uuid;
    RETURN;
  END IF;

  -- ON CONFLICT DO UPDATE on the contact and the conversation makes concurrent first messages from
  -- one person return the same rows instead of failing or missing them.
  IF p_contact_kind = 'phone' THEN
    INSERT INTO public.contacts (id, tenant_id, phone, updated_at)
    VALUES (gen_random_uuid(), p_tenant_id, p_contact_value, now())
    ON CONFLICT (tenant_id, phone) DO UPDATE SET updated_at = now()
    RETURNING id INTO v_contact_id;
  ELSIF p_contact_kind = 'email' THEN
    INSERT INTO public.contacts (id, tenant_id, email, updated_at)
    VALUES (gen_random_uuid(), p_tenant_id, p_contact_value, now())
    ON CONFLICT (tenant_id, email) DO UPDATE SET updated_at = now()
    RETURNING id INTO v_contact_id;
  ELSE
    RAISE EXCEPTION 'unknown contact kind %', p_contact_kind USING ERRCODE = '22023';
  END IF;

  INSERT INTO public.conversations
    (id, tenant_id, contact_id, phone, our_number, protocol, last_message_at, updated_at)
  VALUES (gen_random_uuid(), p_tenant_id, v_contact_id, p_chat_address, p_our_number, p_protocol,
    p_received_at, now())
  ON CONFLICT (tenant_id, phone, our_number) DO UPDATE SET
    last_message_at = GREATEST(conversations.last_message_at, EXCLUDED.last_message_at),
    protocol = COALESCE(EXCLUDED.protocol, conversations.protocol),
    updated_at = now()
  RETURNING id INTO v_conversation_id;

  INSERT INTO public.messages
    (id, tenant_id, conversation_id, direction, provider_message_id, body, attachments, protocol,
     status, reply_state, received_at, updated_at)
  VALUES (gen_random_uuid(), p_tenant_id, v_conversation_id, 'inbound', p_provider_message_id,
    p_body, p_attachments, p_protocol, 'received', p_reply_state, p_received_at, now())
  ON CONFLICT (tenant_id, provider_message_id) DO NOTHING
  RETURNING id INTO v_message_id;

  IF v_message_id IS NULL THEN
    RAISE EXCEPTION 'message % is already stored', p_provider_message_id USING ERRCODE = 'AI409';
  END IF;

  -- The job key matches ReplyJobs (reply:<message id>), and unsafe_dedupe leaves an existing job
  -- with that key untouched, so a message is never queued twice. A caller that passes
  -- p_queue_reply false queues the job itself (store_inbound_messages does, for a whole batch).
  IF p_queue_reply AND p_reply_state = 'awaiting_reply' THEN
    PERFORM graphile_worker.add_job(
      'send_reply',
      json_build_object('tenantId', p_tenant_id::text, 'messageId', v_message_id::text),
      max_attempts => p_reply_max_attempts,
      job_key => 'reply:' || v_message_id::text,
      job_key_mode => 'unsafe_dedupe'
    );
  END IF;

  RETURN QUERY SELECT 'stored'::text, v_contact_id, v_conversation_id, v_message_id;
END;
$$;

REVOKE ALL ON FUNCTION public.store_inbound_message(uuid, text, text, text, text, text, text, text, text, text, jsonb, timestamptz, public.reply_state, integer, boolean) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION public.store_inbound_message(uuid, text, text, text, text, text, text, text, text, text, jsonb, timestamptz, public.reply_state, integer, boolean) TO aias_app;

CREATE OR REPLACE FUNCTION public.store_inbound_messages(p_messages jsonb, p_reply_max_attempts integer)
RETURNS TABLE (idx integer, outcome text, contact_id uuid, conversation_id uuid, message_id uuid)
LANGUAGE plpgsql VOLATILE SECURITY INVOKER
AS $$
#variable_conflict use_column
DECLARE
  v_item jsonb;
  v_index bigint;
  v_stored record;
  -- Plain arrays rather than graphile_worker.job_spec[]: a declared type is resolved when the
  -- function is created, and the job queue's schema is installed after the migrations.
  v_job_tenants uuid[] := '{}';
  v_job_messages uuid[] := '{}';
BEGIN
  IF coalesce(current_setting('app.tenant_id', true), '') <> '' THEN
    RAISE EXCEPTION 'a batch of messages must be a transaction of its own' USING ERRCODE = '42501';
  END IF;

  FOR v_item, v_index IN
    SELECT value, ordinality FROM jsonb_array_elements(p_messages) WITH ORDINALITY
  LOOP
    idx := v_index;

    BEGIN
      SELECT * INTO STRICT v_stored
      FROM public.store_inbound_message(
        (v_item->>'tenantId')::uuid, v_item->>'source', v_item->>'dedupKey',
        v_item->>'contactKind', v_item->>'contactValue', v_item->>'chatAddress',
        v_item->>'ourNumber', v_item->>'providerMessageId', v_item->>'protocol',
        v_item->>'body', v_item->'attachments', (v_item->>'receivedAt')::timestamptz,
        (v_item->>'replyState')::public.reply_state, p_reply_max_attempts, false);

      outcome := v_stored.outcome;
      contact_id := v_stored.contact_id;
      conversation_id := v_stored.conversation_id;
      message_id := v_stored.message_id;

      IF v_stored.outcome = 'stored' AND v_item->>'replyState' = 'awaiting_reply' THEN
        v_job_tenants := v_job_tenants || (v_item->>'tenantId')::uuid;
        v_job_messages := v_job_messages || v_stored.message_id;
      END IF;
    EXCEPTION WHEN SQLSTATE 'AI409' THEN
      outcome := 'duplicate';
      contact_id := NULL;
      conversation_id := NULL;
      message_id := NULL;
    END;

    PERFORM pg_catalog.set_config('app.tenant_id', '', true);
    RETURN NEXT;
  END LOOP;

  IF cardinality(v_job_messages) > 0 THEN
    PERFORM graphile_worker.add_jobs(ARRAY(
      SELECT ROW('send_reply',
        json_build_object('tenantId', job.tenant_id::text, 'messageId', job.message_id::text),
        NULL, NULL, p_reply_max_attempts::smallint, 'reply:' || job.message_id::text, NULL,
        NULL)::graphile_worker.job_spec
      FROM unnest(v_job_tenants, v_job_messages) WITH ORDINALITY
        AS job(tenant_id, message_id, position)
      ORDER BY job.position));
  END IF;
END;
$$;
