/**
 * The `test_numbers` table: at most TEST_NUMBERS_MAX numbers, each with its fixed code sealed at
 * rest (crypto/seal.ts; maintenance/reseal.ts re-seals it on a rotation). The cap and the primary
 * key are the guards of one INSERT, so parallel adds cannot pass the cap together. Whether a number
 * is listed is read from the configuration snapshot (settings/snapshot.ts: every change of this
 * table moves its version, migration 0017), never row by row.
 */
import type { InStatement } from '@libsql/client'
import type { TestNumber } from '../../shared/test-number-schemas.js'
import type { Deps } from '../deps.js'
import { openOrNull, seal } from '../crypto/seal.js'
import { TEST_NUMBERS_MAX } from '../limits/policy.js'

export interface Listed {
  phone: string
  /** null when no accepted secret opens it (logged): the number then works like an unlisted one. */
  code: string | null
  description: string | null
  createdAt: number
}

async function opened(deps: Pick<Deps, 'keys' | 'log'>, sealed: string): Promise<string | null> {
  const code = await openOrNull(deps.keys, sealed)
  if (code === null) deps.log('sealed.unreadable', { what: 'test_number' })
  return code
}

export async function listTestNumbers(deps: Deps): Promise<Listed[]> {
  const r = await deps.db.execute(
    'SELECT phone, code_sealed, description, created_at FROM test_numbers ORDER BY created_at, phone',
  )
  return Promise.all(
    r.rows.map(async (row) => ({
      phone: String(row.phone),
      code: await opened(deps, String(row.code_sealed)),
      description: row.description === null ? null : String(row.description),
      createdAt: Number(row.created_at),
    })),
  )
}

/** A listed number's fixed code, or null when the number is not listed (or its code unreadable). */
export type TestCodes = (e164: string) => Promise<string | null>

/**
 * The lookup over the list a configuration snapshot holds (settings/snapshot.ts): no read of its
 * own, and only the code of the number asked for is opened.
 */
export function testCodes(
  deps: Pick<Deps, 'keys' | 'log'>,
  listed: ReadonlyMap<string, string>,
): TestCodes {
  return async (e164) => {
    const sealed = listed.get(e164)
    return sealed === undefined ? null : opened(deps, sealed)
  }
}

export const view = (n: Listed & { code: string }): TestNumber => ({
  phone: n.phone,
  code: n.code,
  description: n.description,
  createdAt: new Date(n.createdAt).toISOString(),
})

/** The INSERT of a new number: a row only while fewer than TEST_NUMBERS_MAX are listed. */
export async function insertStatement(
  deps: Deps,
  n: { phone: string; code: string; description: string | null; createdBy: string },
  now: number,
): Promise<InStatement> {
  return {
    sql: `INSERT INTO test_numbers (phone, code_sealed, description, created_at, created_by)
          SELECT ?, ?, ?, ?, ? WHERE (SELECT count(*) FROM test_numbers) < ?`,
    args: [
      n.phone,
      await seal(deps.keys, n.code),
      n.description,
      now,
      n.createdBy,
      TEST_NUMBERS_MAX,
    ],
  }
}

export const deleteStatement = (e164: string): InStatement => ({
  sql: 'DELETE FROM test_numbers WHERE phone = ?',
  args: [e164],
})
