/**
 * The Activity tab's daily aggregates (edge/stats/, docs/api.md "Activity"): `stats_daily` has one
 * row per UTC day and destination country, channel and provider, with a column per figure, so a
 * year of figures reads a few hundred thousand rows at most whatever the traffic, and one event is
 * one upsert of one row. `stats_refusals` counts refusals per day and limit.
 *
 * The counters move in the statement that writes the fact they count, by triggers on its table:
 * no extra round trip on any request, and no count without its fact (or the reverse) whatever
 * fails in between. A message record (`messages`, which now carries its destination's country):
 * `started` for a verification's first code, `sent` or `failed` for each, `delivered` and
 * `undelivered` when a receipt moves it (the console provider delivers at once). A verification's
 * approval: `verified` under its start day and the country, channel and provider of its first
 * code, as `started` counted it: so a row's verified / started is the share of the verifications
 * it started that were verified (a provider whose codes never arrive shows a low one, even when a
 * voice call from another provider saved the sign-in). The spend ledger (`spend_events`,
 * edge/spend/): `spend` in micro-USD under its country and channel (no provider), given back with
 * a released reservation. A breaker trip (`breaker_blocks.last_trip_at` moves): `trips_prefix` or
 * `trips_country` under its country. Refusals are no row of any table: edge/stats/refusals.ts
 * writes `stats_refusals`.
 *
 * Whatever deletes ledger rows other than a released reservation (none does today) must mind
 * `stats_spend_released`, or the day's spend goes down with it.
 *
 * Trigger bodies are one statement, each ending `; END` on one line (migrate.ts splits the file on
 * a semicolon at the end of a line).
 */
const FIGURES = [
  'started',
  'sent',
  'delivered',
  'undelivered',
  'failed',
  'verified',
  'spend',
  'trips_prefix',
  'trips_country',
]
const DAY = (ms: string) => `strftime('%Y-%m-%d', ${ms} / 1000, 'unixepoch')`
/** Adds `figures` (`[SQL value, column]`) to the row of `key` (day, country, channel, provider). */
const ADD = (figures: [string, string][], key: string) =>
  `INSERT INTO stats_daily (day, country, channel, provider, ${figures.map((f) => f[1]).join(', ')})
  SELECT ${key}, ${figures.map((f) => `coalesce(${f[0]}, 0)`).join(', ')} WHERE true
  ON CONFLICT (day, country, channel, provider) DO UPDATE SET
    ${FIGURES.map((f) => `${f} = ${f} + excluded.${f}`).join(', ')}`
const OF_MESSAGE = `${DAY('NEW.created_at')}, coalesce(NEW.country, 'ZZ'), NEW.channel, coalesce(NEW.provider, '')`

export default `
CREATE TABLE stats_daily (
  day TEXT NOT NULL,
  country TEXT NOT NULL,
  channel TEXT NOT NULL,
  provider TEXT NOT NULL,
  ${FIGURES.map((f) => `${f} INTEGER NOT NULL DEFAULT 0`).join(',\n  ')},
  PRIMARY KEY (day, country, channel, provider)
);
CREATE TABLE stats_refusals (
  day TEXT NOT NULL,
  limit_name TEXT NOT NULL,
  n INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (day, limit_name)
);
ALTER TABLE messages ADD COLUMN country TEXT;
CREATE INDEX messages_verification ON messages (verification_id, created_at) WHERE verification_id IS NOT NULL;
CREATE TRIGGER stats_message_sent AFTER INSERT ON messages
WHEN NEW.verification_id IS NOT NULL AND NEW.kind = 'code'
BEGIN
  ${ADD(
    [
      [
        `NOT EXISTS (SELECT 1 FROM messages WHERE verification_id = NEW.verification_id AND id != NEW.id)`,
        'started',
      ],
      [`NEW.status NOT IN ('failed', 'rejected')`, 'sent'],
      [`NEW.provider = 'console' AND NEW.status = 'sent'`, 'delivered'],
      [`NEW.status IN ('failed', 'rejected')`, 'failed'],
    ],
    OF_MESSAGE,
  )}; END;
CREATE TRIGGER stats_message_receipt AFTER UPDATE OF status ON messages
WHEN NEW.verification_id IS NOT NULL AND NEW.kind = 'code' AND NEW.status != OLD.status
  AND NEW.status IN ('delivered', 'failed')
BEGIN
  ${ADD(
    [
      [`NEW.status = 'delivered'`, 'delivered'],
      [`NEW.status = 'failed'`, 'undelivered'],
    ],
    OF_MESSAGE,
  )}; END;
CREATE TRIGGER stats_verified AFTER UPDATE OF approved_at ON verifications
WHEN OLD.approved_at IS NULL AND NEW.approved_at IS NOT NULL
BEGIN
  INSERT INTO stats_daily (day, country, channel, provider, verified)
  SELECT ${DAY('NEW.created_at')}, coalesce(m.country, 'ZZ'), m.channel, coalesce(m.provider, ''), 1
  FROM (SELECT country, channel, provider FROM messages
        WHERE verification_id = NEW.id AND kind = 'code' ORDER BY created_at LIMIT 1) AS m
  WHERE true ON CONFLICT (day, country, channel, provider) DO UPDATE SET verified = verified + 1; END;
CREATE TRIGGER stats_spend_reserved AFTER INSERT ON spend_events WHEN NEW.micros != 0
BEGIN
  ${ADD([['NEW.micros', 'spend']], "NEW.period_day, CASE NEW.country WHEN '*' THEN 'ZZ' ELSE NEW.country END, NEW.channel, ''")}; END;
CREATE TRIGGER stats_spend_released AFTER DELETE ON spend_events WHEN OLD.micros != 0
BEGIN
  ${ADD([['-OLD.micros', 'spend']], "OLD.period_day, CASE OLD.country WHEN '*' THEN 'ZZ' ELSE OLD.country END, OLD.channel, ''")}; END;
CREATE TRIGGER stats_trip_new AFTER INSERT ON breaker_blocks WHEN NEW.last_trip_at IS NOT NULL
BEGIN
  ${ADD(
    [
      [`NEW.kind = 'prefix'`, 'trips_prefix'],
      [`NEW.kind = 'country'`, 'trips_country'],
    ],
    `${DAY('NEW.last_trip_at')}, NEW.country, '', ''`,
  )}; END;
CREATE TRIGGER stats_trip_again AFTER UPDATE OF last_trip_at ON breaker_blocks
WHEN NEW.last_trip_at IS NOT NULL AND NEW.last_trip_at IS NOT OLD.last_trip_at
BEGIN
  ${ADD(
    [
      [`NEW.kind = 'prefix'`, 'trips_prefix'],
      [`NEW.kind = 'country'`, 'trips_country'],
    ],
    `${DAY('NEW.last_trip_at')}, NEW.country, '', ''`,
  )}; END;
`
