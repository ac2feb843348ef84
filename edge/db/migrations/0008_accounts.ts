/**
 * The account's life (issue 14): sessions remember the device and the masked client address they
 * were signed in or last refreshed from (sessions/device.ts), an account can be disabled by the
 * site owner, and the owner's user list and search walk indexes (admin/user-search.ts): newest
 * first by (created_at, id), a name prefix on lower(name), an email prefix on email_norm, and a
 * phone's last four digits. Deleting an account finds its verifications, tickets and audit rows
 * by user id (accounts/delete-account.ts).
 */
export default `
ALTER TABLE sessions ADD COLUMN device TEXT;
ALTER TABLE sessions ADD COLUMN client_address TEXT;
ALTER TABLE sessions ADD COLUMN last_used_at INTEGER;
ALTER TABLE users ADD COLUMN disabled_at INTEGER;
CREATE INDEX users_created ON users (created_at, id);
CREATE INDEX users_name ON users (lower(name), created_at);
CREATE INDEX users_phone_tail ON users (substr(phone, -4));
CREATE INDEX audit_user ON audit (user_id) WHERE user_id IS NOT NULL;
CREATE INDEX verifications_user ON verifications (user_id) WHERE user_id IS NOT NULL;
CREATE INDEX tickets_user ON tickets (user_id) WHERE user_id IS NOT NULL;
`
