/**
 * Security migration (docs/security.md):
 * - verifications keep no full number and no code in clear: the number as an HMAC (for limits and
 *   budgets) and a masked form, and while live a sealed blob (AES-256-GCM) holding the number and
 *   the code so a resend can send the same code; the blob is dropped when the verification ends.
 *   Live verifications at upgrade time are dropped (they last at most 10 minutes; users ask again).
 * - guessing budgets move from `users` to `guess_budgets`, one row per account or per number
 *   without an account, with the total of consecutive failures across lock periods.
 * - sessions carry the time and the factors of their latest proof (step-up).
 * - rate-limit rows keyed by full numbers are dropped (their keys are HMACs from now on).
 */
export default `
DROP TABLE verifications;
CREATE TABLE verifications (
  id TEXT PRIMARY KEY,
  purpose TEXT NOT NULL,
  -- HMAC-SHA-256 of the E.164 number under a server key: limits and budgets, never the number.
  phone_hash TEXT NOT NULL,
  phone_masked TEXT NOT NULL,
  -- AES-256-GCM of {phone, code} while the verification is live; NULL once it has ended.
  sealed TEXT,
  -- HMAC-SHA-256(id ‖ purpose ‖ code): the only form a check compares.
  code_hash TEXT NOT NULL,
  user_id TEXT,
  -- enroll, change_phone and reauth belong to the session that started them.
  session_id TEXT,
  ticket_id TEXT,
  channel TEXT NOT NULL,
  code_length INTEGER NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  max_attempts INTEGER NOT NULL,
  sends INTEGER NOT NULL DEFAULT 1,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  resend_at INTEGER NOT NULL,
  approved_at INTEGER,
  client_address TEXT,
  locale TEXT NOT NULL DEFAULT 'en',
  -- 1: nothing is ever sent for it (a login to a number without an account, or a locked one).
  silent INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX verifications_live ON verifications (expires_at) WHERE sealed IS NOT NULL;

CREATE TABLE guess_budgets (
  -- a user id, or 'ph:' + the number's HMAC for a number without an account
  subject TEXT PRIMARY KEY,
  -- failures in the current lock cycle
  failed INTEGER NOT NULL DEFAULT 0,
  -- consecutive failures since the last success, across lock cycles (NIST: at most 100)
  total INTEGER NOT NULL DEFAULT 0,
  lockouts INTEGER NOT NULL DEFAULT 0,
  locked_until INTEGER NOT NULL DEFAULT 0,
  updated_at INTEGER NOT NULL
);
INSERT INTO guess_budgets (subject, failed, total, lockouts, locked_until, updated_at)
  SELECT id, failed_count, failed_count + 20 * lockouts, lockouts, locked_until, created_at
  FROM users WHERE failed_count > 0 OR lockouts > 0 OR locked_until > 0;
ALTER TABLE users DROP COLUMN failed_count;
ALTER TABLE users DROP COLUMN locked_until;
ALTER TABLE users DROP COLUMN lockouts;

ALTER TABLE sessions ADD COLUMN auth_at INTEGER NOT NULL DEFAULT 0;
ALTER TABLE sessions ADD COLUMN amr TEXT NOT NULL DEFAULT '';
UPDATE sessions SET auth_at = created_at;

DELETE FROM rate_events WHERE key LIKE 'phone:%' OR key LIKE 'prefix:%';
-- Registration tickets keep their number sealed from now on; open ones at upgrade time lapse.
UPDATE tickets SET phone = NULL, used_at = COALESCE(used_at, created_at) WHERE phone IS NOT NULL;
CREATE INDEX tickets_expiry ON tickets (expires_at) WHERE phone IS NOT NULL;
`
