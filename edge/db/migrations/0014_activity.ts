/**
 * The Activity tab's daily aggregates (edge/stats/, docs/api.md "Activity"): one row per UTC day,
 * metric and dimension, so a year of figures reads a few thousand rows whatever the traffic.
 *
 * The counters move in the statement that writes the fact they count, by triggers on its table:
 * no extra round trip on any request, and no count without its fact (or the reverse) whatever
 * fails in between. A message record (`messages`, which now carries its destination's country):
 * `started` for a verification's first code, `sent` or `failed` for each, `delivered` and
 * `undelivered` when a receipt moves it (the console provider delivers at once). A verification's
 * approval: `verified` under its start day and the country, channel and provider of its first
 * code, as `started` counted it: so a row's verified / started is the share of the verifications
 * it started that were verified (a provider whose codes never arrive shows a low one, even when a
 * voice call from another provider saved the sign-in).
 * The spend ledger (`spend_events`, edge/spend/): `spend` in micro-USD, given back with a released
 * reservation. A breaker trip (`breaker_blocks.last_trip_at` moves): `trip:prefix` or
 * `trip:country`. Refusals are no row of any table: edge/stats/refusals.ts adds `refused:<limit>`.
 *
 * Whatever deletes ledger rows other than a released reservation (none does today) must mind
 * `stats_spend_released`, or the day's spend goes down with it.
 *
 * Trigger bodies are one statement, each ending `; END` on one line (migrate.ts splits the file on
 * a semicolon at the end of a line).
 */
const DAY = (ms: string) => `strftime('%Y-%m-%d', ${ms} / 1000, 'unixepoch')`
const UPSERT = `ON CONFLICT (day, metric, country, channel, provider) DO UPDATE SET n = n + excluded.n`
const INTO = 'INSERT INTO stats_daily (day, metric, country, channel, provider, n)'

export default `
CREATE TABLE stats_daily (
  day TEXT NOT NULL,
  metric TEXT NOT NULL,
  country TEXT NOT NULL DEFAULT '',
  channel TEXT NOT NULL DEFAULT '',
  provider TEXT NOT NULL DEFAULT '',
  n INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (day, metric, country, channel, provider)
);
ALTER TABLE messages ADD COLUMN country TEXT;
CREATE INDEX messages_verification ON messages (verification_id, created_at) WHERE verification_id IS NOT NULL;
CREATE TRIGGER stats_message_sent AFTER INSERT ON messages
WHEN NEW.verification_id IS NOT NULL AND NEW.kind = 'code'
BEGIN
  ${INTO}
  SELECT d, metric, c, ch, p, 1 FROM
    (SELECT ${DAY('NEW.created_at')} AS d, coalesce(NEW.country, 'ZZ') AS c, NEW.channel AS ch,
            coalesce(NEW.provider, '') AS p) AS k,
    (SELECT CASE WHEN NEW.status IN ('failed', 'rejected') THEN 'failed' ELSE 'sent' END AS metric
     UNION ALL SELECT 'delivered' WHERE NEW.provider = 'console' AND NEW.status = 'sent'
     UNION ALL SELECT 'started' WHERE NOT EXISTS (SELECT 1 FROM messages
       WHERE verification_id = NEW.verification_id AND id != NEW.id)) AS m
  WHERE true ${UPSERT}; END;
CREATE TRIGGER stats_message_receipt AFTER UPDATE OF status ON messages
WHEN NEW.verification_id IS NOT NULL AND NEW.kind = 'code' AND NEW.status != OLD.status
  AND NEW.status IN ('delivered', 'failed')
BEGIN
  ${INTO}
  SELECT ${DAY('NEW.created_at')}, CASE NEW.status WHEN 'delivered' THEN 'delivered' ELSE 'undelivered' END,
    coalesce(NEW.country, 'ZZ'), NEW.channel, coalesce(NEW.provider, ''), 1 WHERE true ${UPSERT}; END;
CREATE TRIGGER stats_verified AFTER UPDATE OF approved_at ON verifications
WHEN OLD.approved_at IS NULL AND NEW.approved_at IS NOT NULL
BEGIN
  ${INTO}
  SELECT ${DAY('NEW.created_at')}, 'verified', coalesce(m.country, 'ZZ'), m.channel, coalesce(m.provider, ''), 1
  FROM (SELECT country, channel, provider FROM messages
        WHERE verification_id = NEW.id AND kind = 'code' ORDER BY created_at LIMIT 1) AS m
  WHERE true ${UPSERT}; END;
CREATE TRIGGER stats_spend_reserved AFTER INSERT ON spend_events WHEN NEW.micros != 0
BEGIN
  ${INTO}
  SELECT NEW.period_day, 'spend', CASE NEW.country WHEN '*' THEN 'ZZ' ELSE NEW.country END, NEW.channel, '', NEW.micros
  WHERE true ${UPSERT}; END;
CREATE TRIGGER stats_spend_released AFTER DELETE ON spend_events WHEN OLD.micros != 0
BEGIN
  ${INTO}
  SELECT OLD.period_day, 'spend', CASE OLD.country WHEN '*' THEN 'ZZ' ELSE OLD.country END, OLD.channel, '', -OLD.micros
  WHERE true ${UPSERT}; END;
CREATE TRIGGER stats_trip_new AFTER INSERT ON breaker_blocks WHEN NEW.last_trip_at IS NOT NULL
BEGIN
  ${INTO}
  SELECT ${DAY('NEW.last_trip_at')}, 'trip:' || NEW.kind, NEW.country, '', '', 1 WHERE true ${UPSERT}; END;
CREATE TRIGGER stats_trip_again AFTER UPDATE OF last_trip_at ON breaker_blocks
WHEN NEW.last_trip_at IS NOT NULL AND NEW.last_trip_at IS NOT OLD.last_trip_at
BEGIN
  ${INTO}
  SELECT ${DAY('NEW.last_trip_at')}, 'trip:' || NEW.kind, NEW.country, '', '', 1 WHERE true ${UPSERT}; END;
`
