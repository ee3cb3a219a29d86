-- Blooio's delivery reports (message.sent, .delivered, .read, .failed) find the outbound send by
-- the provider's message id; without this index each report scans the tenant's sends.
CREATE INDEX "outbound_sends_tenant_id_provider_message_id_idx" ON "outbound_sends"("tenant_id", "provider_message_id");
