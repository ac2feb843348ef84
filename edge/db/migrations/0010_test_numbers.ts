/**
 * Test numbers (edge/test-numbers/): numbers the site owner lists, each with a fixed code, for CI
 * pipelines and app-store reviewers. A listed number never reaches a provider. The code is sealed
 * (AES-256-GCM under the data-at-rest key, re-sealed on a rotation) since the admin page shows it.
 * A verification to a listed number is marked `test`, so its resends send nothing either, its audit
 * rows say so, and removing the number ends it.
 */
export default `
CREATE TABLE test_numbers (
  phone TEXT PRIMARY KEY,
  code_sealed TEXT NOT NULL,
  description TEXT,
  created_at INTEGER NOT NULL,
  created_by TEXT NOT NULL
);
ALTER TABLE verifications ADD COLUMN test INTEGER NOT NULL DEFAULT 0;
`
