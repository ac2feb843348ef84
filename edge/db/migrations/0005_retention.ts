/**
 * Retention (edge/maintenance): the claim of each periodic job, and the indexes its bounded
 * deletes walk, so that none of them scans a table that grows with traffic.
 * - `jobs`: one row per job; a run is claimed by one guarded upsert (`claimed_until <= now`), so
 *   of any number of instances exactly one runs it per period.
 * - Expiry and age indexes for the deletes; the partial one on `guess_budgets` leaves out budgets
 *   locked for good (`locked_until` = 8640000000000000, edge/limits/guesses.ts), never deleted.
 * - `audit (action)` (with the rowid SQLite appends to every index): the admin listing filtered by
 *   action, newest first, walks only that action's rows.
 * - `tickets_expiry` (live registration tickets) gives way to `tickets_expires`: an expired ticket
 *   is deleted whole, sealed number and all.
 */
export default `
CREATE TABLE jobs (
  name TEXT PRIMARY KEY,
  claimed_by TEXT NOT NULL,
  claimed_until INTEGER NOT NULL,
  started_at INTEGER NOT NULL,
  finished_at INTEGER,
  -- JSON: rows each task removed in the latest finished run.
  result TEXT
);
CREATE INDEX verifications_expires ON verifications (expires_at);
DROP INDEX tickets_expiry;
CREATE INDEX tickets_expires ON tickets (expires_at);
CREATE INDEX sessions_expires ON sessions (expires_at);
CREATE INDEX sessions_revoked ON sessions (revoked_at) WHERE revoked_at IS NOT NULL;
CREATE INDEX rate_events_at ON rate_events (at);
CREATE INDEX guess_budgets_stale ON guess_budgets (updated_at) WHERE locked_until < 8640000000000000;
CREATE INDEX messages_created ON messages (created_at);
CREATE INDEX dev_outbox_at ON dev_outbox (at);
CREATE INDEX audit_action ON audit (action);
`
