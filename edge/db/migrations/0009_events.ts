/**
 * Events to the site's backend (edge/events/): the endpoints the admin configured (secrets sealed
 * under the server key, the previous one kept for a day after a rotation), the outbox written in
 * the same batch as the change (its data sealed: it may hold a phone number), one delivery per event and subscribed endpoint (claimed with a
 * lease by one instance at a time), and the log of each attempt.
 */
export default `
CREATE TABLE event_endpoints (
  id TEXT PRIMARY KEY,
  url TEXT NOT NULL,
  types TEXT NOT NULL,
  enabled INTEGER NOT NULL,
  description TEXT,
  secret_sealed TEXT NOT NULL,
  previous_secret_sealed TEXT,
  previous_until INTEGER,
  created_at INTEGER NOT NULL
);
CREATE TABLE event_outbox (
  id TEXT PRIMARY KEY,
  type TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  data_sealed TEXT NOT NULL,
  fanned_at INTEGER
);
CREATE INDEX event_outbox_unfanned ON event_outbox (created_at) WHERE fanned_at IS NULL;
CREATE INDEX event_outbox_created ON event_outbox (created_at);
CREATE TABLE event_deliveries (
  id TEXT PRIMARY KEY,
  event_id TEXT NOT NULL,
  endpoint_id TEXT NOT NULL,
  state TEXT NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  next_at INTEGER,
  lease_by TEXT,
  lease_until INTEGER,
  created_at INTEGER NOT NULL,
  UNIQUE (event_id, endpoint_id)
);
CREATE INDEX event_deliveries_due ON event_deliveries (next_at) WHERE state = 'pending';
CREATE INDEX event_deliveries_endpoint ON event_deliveries (endpoint_id, created_at);
CREATE INDEX event_deliveries_created ON event_deliveries (created_at);
CREATE TABLE event_attempts (
  delivery_id TEXT NOT NULL,
  at INTEGER NOT NULL,
  status INTEGER,
  duration_ms INTEGER NOT NULL,
  error TEXT
);
CREATE INDEX event_attempts_delivery ON event_attempts (delivery_id, at);
CREATE INDEX event_attempts_at ON event_attempts (at);
`
