/**
 * The pumping breaker (edge/limits/breaker.ts, docs/security.md "The pumping breaker"):
 * - `breaker_sends`: one row per verification whose first code went out (never a silent one nor a
 *   test number's), keyed by its destination prefix's HMAC (as `rate_events` keys it) and its
 *   country; `verified` turns 1 in the approval's write. The maintenance job purges rows past the
 *   longest window.
 * - `breaker_blocks`: a prefix (`+4479460`, the number less its last 4 digits) or a country (`GB`)
 *   that tripped or was marked safe: its block's end, its trips and the figures of the last trip.
 */
export default `
CREATE TABLE breaker_sends (
  verification_id TEXT PRIMARY KEY,
  prefix_key TEXT NOT NULL,
  country TEXT NOT NULL,
  at INTEGER NOT NULL,
  verified INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX breaker_sends_prefix ON breaker_sends (prefix_key, at);
CREATE INDEX breaker_sends_country ON breaker_sends (country, at);
CREATE INDEX breaker_sends_at ON breaker_sends (at);
CREATE TABLE breaker_blocks (
  kind TEXT NOT NULL CHECK (kind IN ('prefix', 'country')),
  label TEXT NOT NULL,
  country TEXT NOT NULL,
  until INTEGER NOT NULL DEFAULT 0,
  since INTEGER,
  last_trip_at INTEGER,
  counted_from INTEGER NOT NULL DEFAULT 0,
  trips INTEGER NOT NULL DEFAULT 0,
  sent INTEGER NOT NULL DEFAULT 0,
  verified INTEGER NOT NULL DEFAULT 0,
  safe INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (kind, label)
);
CREATE INDEX breaker_blocks_country ON breaker_blocks (country, kind, last_trip_at);
`
