/**
 * The bot challenge (edge/challenge/, docs/security.md "The bot challenge"):
 * - `challenge_secret`: one row, the provider's secret key sealed (AES-256-GCM under the master
 *   secret) and the optional origin that replaces the provider's documented one.
 * - `challenge_tokens`: the SHA-256 of every token that passed, so a token is good for one start
 *   only, across instances (its primary key is the guard); purged after CHALLENGE_TOKEN_KEEP_MS.
 * - an index on the verifications' client address, for the adaptive mode's "distinct numbers
 *   from one address" signal.
 */
export default `
CREATE TABLE challenge_secret (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  secret_sealed TEXT,
  base_url TEXT,
  updated_at INTEGER NOT NULL
);
CREATE TABLE challenge_tokens (
  hash TEXT PRIMARY KEY,
  at INTEGER NOT NULL
);
CREATE INDEX challenge_tokens_at ON challenge_tokens (at);
CREATE INDEX verifications_client_address ON verifications (client_address, created_at);
`
