/**
 * Refresh-token reuse grace (sessions/refresh.ts): a spent refresh token keeps its successor,
 * sealed under the server key, for REFRESH_REUSE_GRACE_MS (limits/policy.ts) after its rotation,
 * so a second tab presenting it at once gets the same pair. The maintenance job clears it after
 * that (maintenance/tasks.ts); the partial index holds only the few rows that still have one.
 */
export default `
ALTER TABLE refresh_tokens ADD COLUMN successor_sealed TEXT;
CREATE INDEX refresh_tokens_successor ON refresh_tokens (used_at) WHERE successor_sealed IS NOT NULL;
`
