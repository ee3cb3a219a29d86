-- Spend-guard settings per tenant, why a reply was withheld, and when Blooio accepted a send.
-- Only columns are added, with defaults, so the previous release keeps working on this schema.

ALTER TABLE "tenants"
  ADD COLUMN "conversation_reply_window_seconds" INTEGER NOT NULL DEFAULT 3600,
  ADD COLUMN "loop_min_reply_seconds" INTEGER NOT NULL DEFAULT 4,
  ADD COLUMN "loop_fast_turns" INTEGER NOT NULL DEFAULT 3,
  ADD COLUMN "loop_repeat_count" INTEGER NOT NULL DEFAULT 3;

ALTER TABLE "tenants"
  ADD CONSTRAINT "tenants_daily_send_cap_check" CHECK ("daily_send_cap" >= 0),
  ADD CONSTRAINT "tenants_conversation_reply_cap_check" CHECK ("conversation_reply_cap" >= 0),
  ADD CONSTRAINT "tenants_conversation_reply_window_seconds_check"
    CHECK ("conversation_reply_window_seconds" > 0),
  ADD CONSTRAINT "tenants_loop_min_reply_seconds_check" CHECK ("loop_min_reply_seconds" >= 0),
  ADD CONSTRAINT "tenants_loop_fast_turns_check" CHECK ("loop_fast_turns" >= 1),
  ADD CONSTRAINT "tenants_loop_repeat_count_check" CHECK ("loop_repeat_count" >= 2);

ALTER TABLE "messages" ADD COLUMN "reply_reason" TEXT;

ALTER TABLE "outbound_sends"
  ADD COLUMN "kind" TEXT NOT NULL DEFAULT 'reply',
  ADD COLUMN "accepted_at" TIMESTAMPTZ(3);
