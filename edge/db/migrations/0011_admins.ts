/**
 * Named admins (edge/admins/): an account that signs in to the admin page with its own phone and
 * second factor, and its role (`users.id`; no foreign key, as elsewhere in the schema: the row goes
 * with the account in accounts/delete-account.ts, in the same batch as the user).
 */
export default `
CREATE TABLE admins (
  user_id TEXT PRIMARY KEY,
  role TEXT NOT NULL CHECK (role IN ('owner', 'support')),
  created_at INTEGER NOT NULL,
  created_by TEXT NOT NULL
);
`
