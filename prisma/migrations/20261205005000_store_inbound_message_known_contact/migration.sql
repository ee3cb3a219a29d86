-- Reads a known contact instead of updating it. store_inbound_message used to upsert the contact
-- with ON CONFLICT DO UPDATE SET updated_at = now(), which wrote a new version of the contact's row,
-- with its write-ahead log, for every message, and locked the row until the commit. A message does
-- not change the contact, so contacts.updated_at now changes only when the contact's own data does
-- (lead intake). In pgbench, a batch of 10 cost PostgreSQL about 8 % less CPU per
-- message this way (BENCHMARKS.md, "PostgreSQL alone").
--
-- The function is otherwise the one of migration 20261205004000.

CREATE OR REPLACE FUNCTION public.store_inbound_message(
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

  -- A known contact is only read: a message does not change the contact. The insert runs for a
  -- new one, and its ON CONFLICT DO UPDATE, like the conversation's, makes concurrent first
  -- messages from one person return the same row instead of failing or missing it.
  IF p_contact_kind = 'phone' THEN
    SELECT id INTO v_contact_id
    FROM public.contacts
    WHERE tenant_id = p_tenant_id AND phone = p_contact_value;

    IF v_contact_id IS NULL THEN
      INSERT INTO public.contacts (id, tenant_id, phone, updated_at)
      VALUES (gen_random_uuid(), p_tenant_id, p_contact_value, now())
      ON CONFLICT (tenant_id, phone) DO UPDATE SET updated_at = now()
      RETURNING id INTO v_contact_id;
    END IF;
  ELSIF p_contact_kind = 'email' THEN
    SELECT id INTO v_contact_id
    FROM public.contacts
    WHERE tenant_id = p_tenant_id AND email = p_contact_value;

    IF v_contact_id IS NULL THEN
      INSERT INTO public.contacts (id, tenant_id, email, updated_at)
      VALUES (gen_random_uuid(), p_tenant_id, p_contact_value, now())
      ON CONFLICT (tenant_id, email) DO UPDATE SET updated_at = now()
      RETURNING id INTO v_contact_id;
    END IF;
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
