/** The first schema. Times are integer milliseconds since the epoch (server clock). */
export default `
CREATE TABLE settings (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  data TEXT NOT NULL,
  updated_at INTEGER NOT NULL
);

CREATE TABLE signing_keys (
  kid TEXT PRIMARY KEY,
  public_jwk TEXT NOT NULL,
  private_jwk_sealed TEXT NOT NULL,
  created_at INTEGER NOT NULL
);

CREATE TABLE users (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  email TEXT,
  email_norm TEXT UNIQUE,
  password_hash TEXT,
  phone TEXT,
  phone_verified INTEGER NOT NULL DEFAULT 0,
  totp_secret_sealed TEXT,
  totp_pending_sealed TEXT,
  totp_enabled INTEGER NOT NULL DEFAULT 0,
  totp_last_step INTEGER NOT NULL DEFAULT -1,
  failed_count INTEGER NOT NULL DEFAULT 0,
  locked_until INTEGER NOT NULL DEFAULT 0,
  lockouts INTEGER NOT NULL DEFAULT 0,
  phone_change_until INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL
);
-- One account per verified phone: the guard that makes enrolment races safe.
CREATE UNIQUE INDEX users_verified_phone ON users (phone) WHERE phone_verified = 1;

CREATE TABLE verifications (
  id TEXT PRIMARY KEY,
  purpose TEXT NOT NULL,
  phone TEXT NOT NULL,
  user_id TEXT,
  ticket_id TEXT,
  channel TEXT NOT NULL,
  code_length INTEGER NOT NULL,
  -- JSON array of {"h": hmac hex, "e": expiry ms}: every code sent, as keyed hashes only.
  codes TEXT NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  max_attempts INTEGER NOT NULL,
  sends INTEGER NOT NULL DEFAULT 1,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  resend_at INTEGER NOT NULL,
  approved_at INTEGER,
  client_address TEXT
);
CREATE INDEX verifications_phone ON verifications (phone, created_at);

CREATE TABLE tickets (
  hash TEXT PRIMARY KEY,
  kind TEXT NOT NULL,
  user_id TEXT,
  phone TEXT,
  -- mfa tickets: the factor already passed ('sms' or 'password'), so it is not asked twice.
  first_factor TEXT,
  expires_at INTEGER NOT NULL,
  used_at INTEGER,
  created_at INTEGER NOT NULL
);

CREATE TABLE sessions (
  id TEXT PRIMARY KEY,
  user_id TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  revoked_at INTEGER,
  revoked_reason TEXT
);
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE refresh_tokens (
  hash TEXT PRIMARY KEY,
  session_id TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  used_at INTEGER
);
CREATE INDEX refresh_tokens_session ON refresh_tokens (session_id);

-- Rate-limit events: one row per counted event; a limit is one guarded INSERT … SELECT.
CREATE TABLE rate_events (
  key TEXT NOT NULL,
  at INTEGER NOT NULL,
  sub TEXT
);
CREATE INDEX rate_events_key ON rate_events (key, at);

CREATE TABLE messages (
  id TEXT PRIMARY KEY,
  verification_id TEXT,
  to_masked TEXT NOT NULL,
  to_hash TEXT NOT NULL,
  channel TEXT NOT NULL,
  kind TEXT NOT NULL,
  provider TEXT,
  provider_message_id TEXT,
  status TEXT NOT NULL,
  error TEXT,
  attempts TEXT,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX messages_provider_id ON messages (provider, provider_message_id);

-- Development only: what the console provider "sent", read by GET /v1/dev/outbox.
CREATE TABLE dev_outbox (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  to_phone TEXT NOT NULL,
  channel TEXT NOT NULL,
  body TEXT NOT NULL,
  code TEXT,
  at INTEGER NOT NULL
);
CREATE INDEX dev_outbox_to ON dev_outbox (to_phone, id);

CREATE TABLE backup_codes (
  user_id TEXT NOT NULL,
  hash TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  used_at INTEGER,
  PRIMARY KEY (user_id, hash)
);

CREATE TABLE integrations (
  provider TEXT PRIMARY KEY,
  enabled INTEGER NOT NULL DEFAULT 0,
  priority INTEGER NOT NULL DEFAULT 100,
  voice INTEGER NOT NULL DEFAULT 0,
  base_url TEXT,
  credentials_sealed TEXT,
  updated_at INTEGER NOT NULL
);

CREATE TABLE audit (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  at INTEGER NOT NULL,
  actor TEXT NOT NULL,
  action TEXT NOT NULL,
  outcome TEXT NOT NULL,
  user_id TEXT,
  phone_masked TEXT,
  client_address TEXT,
  detail TEXT
);
CREATE INDEX audit_at ON audit (at);
`
