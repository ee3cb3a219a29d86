-- When an operator last resumed replies to a conversation that the loop breaker had paused. The
-- loop breaker counts only the contact's messages after this time, so the messages that tripped it
-- cannot pause the conversation again at the next message. A nullable column without a default
-- leaves the previous release working on this schema.
ALTER TABLE "conversations" ADD COLUMN "replies_resumed_at" TIMESTAMPTZ(3);
