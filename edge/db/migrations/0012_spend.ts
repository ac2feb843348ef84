/**
 * Spend (edge/spend/): the ledger of what each send is estimated to cost (micro-dollars, integer),
 * with its UTC day and month so the cap's sums read one index range; the admin's price overrides;
 * and one row per period whose cap was reached, so its alert is written once.
 */
export default `
CREATE TABLE spend_events (
  at INTEGER NOT NULL,
  period_day TEXT NOT NULL,
  period_month TEXT NOT NULL,
  micros INTEGER NOT NULL,
  verification_id TEXT NOT NULL,
  channel TEXT NOT NULL,
  country TEXT NOT NULL
);
CREATE INDEX spend_events_day ON spend_events (period_day, micros);
CREATE INDEX spend_events_month ON spend_events (period_month, micros);
CREATE INDEX spend_events_verification ON spend_events (verification_id, at);
CREATE TABLE spend_prices (
  country TEXT PRIMARY KEY,
  sms INTEGER NOT NULL,
  voice INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  updated_by TEXT NOT NULL
);
CREATE TABLE spend_alerts (
  period TEXT PRIMARY KEY,
  at INTEGER NOT NULL
);
`
