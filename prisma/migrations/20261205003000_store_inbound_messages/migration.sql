-- Stores several received messages in one call and one transaction. Under load, a commit per
-- message was most of PostgreSQL's work on an ingest: a batch shares one round trip, one commit
-- and one flush of the write-ahead log among its messages.
--
-- Each element is stored by store_inbound_message itself, so the two functions cannot drift apart.
-- Each runs in a subtransaction (the BEGIN … EXCEPTION block): a message that is already stored
-- (SQLSTATE AI409) rolls back its own inbox claim, contact and conversation changes and comes back
-- as 'duplicate', while the rest of the batch is kept. Any other error fails the whole call, and
-- the caller then stores the messages one by one.
--
-- The elements may belong to different tenants. Each call of store_inbound_message sets
-- app.tenant_id for its own statements, and the setting is cleared after each element, so
-- row-level security applies to every element under its own tenant. That is also why the batch
-- refuses to run inside a transaction scoped to a tenant (SQLSTATE 42501).
--
-- A batch of n messages uses n subtransactions; the caller keeps n at 64 or fewer, the number a
-- backend tracks without overflowing its subtransaction cache.
CREATE FUNCTION public.store_inbound_messages(p_messages jsonb, p_reply_max_attempts integer)
RETURNS TABLE (idx integer, outcome text, contact_id uuid, conversation_id uuid, message_id uuid)
LANGUAGE plpgsql VOLATILE SECURITY INVOKER
AS $$
#variable_conflict use_column
DECLARE
  v_item jsonb;
  v_index bigint;
  v_stored record;
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
        (v_item->>'replyState')::public.reply_state, p_reply_max_attempts);

      outcome := v_stored.outcome;
      contact_id := v_stored.contact_id;
      conversation_id := v_stored.conversation_id;
      message_id := v_stored.message_id;
    EXCEPTION WHEN SQLSTATE 'AI409' THEN
      outcome := 'duplicate';
      contact_id := NULL;
      conversation_id := NULL;
      message_id := NULL;
    END;

    PERFORM pg_catalog.set_config('app.tenant_id', '', true);
    RETURN NEXT;
  END LOOP;
END;
$$;

REVOKE ALL ON FUNCTION public.store_inbound_messages(jsonb, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION public.store_inbound_messages(jsonb, integer) TO aias_app;
