/**
 * Sends whose answer never came: the admin's switch to fail over after a provider's
 * timeout (off: a timed-out request may still deliver, so no second provider is asked), and an
 * index for receipts that match a send recorded `unknown` by its destination. Self-contained: it
 * only adds, so it can take another number at merge.
 */
export default `
ALTER TABLE integrations ADD COLUMN failover_after_timeout INTEGER NOT NULL DEFAULT 0;
CREATE INDEX messages_unknown ON messages (to_hash, created_at) WHERE status = 'unknown';
`
