/**
 * The endpoints the site owner configured: where events go, which types, and the `whsec_…` secret
 * we generated (sealed at rest under the server key, shown once). A rotation keeps the previous
 * secret for PREVIOUS_SECRET_MS, during which every delivery carries both signatures.
 */
import type { z } from '@hono/zod-openapi'
import type {
  EventEndpoint,
  EventEndpointCreate,
  EventEndpointPatch,
  EventType,
} from '../../shared/events.js'
import type { Deps } from '../deps.js'
import { base64url, newId, randomBytes } from '../crypto/random.js'
import { openOrNull, seal } from '../crypto/seal.js'
import { ApiError } from '../http/errors.js'

/** How long the secret before a rotation still signs deliveries (docs/api.md: 24 h). */
export const PREVIOUS_SECRET_MS = 24 * 3600_000

/** A Standard Webhooks secret: `whsec_` and 32 random bytes in standard base64. */
export function newSecret(): string {
  const b64 = base64url(randomBytes(32)).replace(/-/g, '+').replace(/_/g, '/')
  return `whsec_${b64}${'='.repeat((4 - (b64.length % 4)) % 4)}`
}

/**
 * An endpoint URL the server may POST to: https, or http to 127.0.0.1 / localhost in development
 * (a receiver on the developer's machine). No credentials in the URL: they would be logged.
 */
export function checkUrl(deps: Deps, value: string): string {
  const bad = (message: string) =>
    new ApiError('invalid_request', 'Some fields are missing or not valid.', {
      errors: [{ path: 'url', message }],
    })
  let url: URL
  try {
    url = new URL(value)
  } catch {
    throw bad('not an absolute URL')
  }
  if (url.username || url.password) throw bad('must not contain credentials')
  const local = url.hostname === '127.0.0.1' || url.hostname === 'localhost'
  if (url.protocol === 'https:') return url.href
  if (url.protocol === 'http:' && local && deps.config.mode === 'development') return url.href
  throw bad(
    deps.config.mode === 'development'
      ? 'must be https (http only for 127.0.0.1 or localhost)'
      : 'must be https',
  )
}

const COLUMNS =
  'id, url, types, enabled, description, secret_sealed, previous_secret_sealed, previous_until, created_at'

export interface EndpointRow {
  id: string
  url: string
  types: EventType[]
  enabled: boolean
  description: string | null
  secretSealed: string
  previousSealed: string | null
  previousUntil: number | null
  createdAt: number
}

function rowOf(row: Record<string, unknown>): EndpointRow {
  const types = String(row.types)
  return {
    id: String(row.id),
    url: String(row.url),
    types: types ? (types.split(',') as EventType[]) : [],
    enabled: Number(row.enabled) === 1,
    description: row.description === null ? null : String(row.description),
    secretSealed: String(row.secret_sealed),
    previousSealed: row.previous_secret_sealed === null ? null : String(row.previous_secret_sealed),
    previousUntil: row.previous_until === null ? null : Number(row.previous_until),
    createdAt: Number(row.created_at),
  }
}

/** The admin's view: never the secret. */
export function viewOf(e: EndpointRow, now: number): EventEndpoint {
  const previous = e.previousUntil !== null && e.previousUntil > now
  return {
    id: e.id,
    url: e.url,
    types: e.types,
    enabled: e.enabled,
    description: e.description,
    createdAt: new Date(e.createdAt).toISOString(),
    previousSecretUntil: previous ? new Date(e.previousUntil!).toISOString() : null,
  }
}

export async function listEndpoints(deps: Deps): Promise<EndpointRow[]> {
  const r = await deps.db.execute(`SELECT ${COLUMNS} FROM event_endpoints ORDER BY created_at, id`)
  return r.rows.map((row) => rowOf(row))
}

export async function findEndpoint(deps: Deps, id: string): Promise<EndpointRow> {
  const r = await deps.db.execute({
    sql: `SELECT ${COLUMNS} FROM event_endpoints WHERE id = ?`,
    args: [id],
  })
  if (!r.rows[0]) throw new ApiError('not_found', 'No such event endpoint.')
  return rowOf(r.rows[0])
}

export async function createEndpoint(
  deps: Deps,
  input: z.infer<typeof EventEndpointCreate>,
): Promise<{ endpoint: EndpointRow; secret: string }> {
  const url = checkUrl(deps, input.url)
  const secret = newSecret()
  const id = newId('ep')
  await deps.db.execute({
    sql: `INSERT INTO event_endpoints (id, url, types, enabled, description, secret_sealed, created_at)
          VALUES (?, ?, ?, ?, ?, ?, ?)`,
    args: [
      id,
      url,
      [...new Set(input.types)].join(','),
      input.enabled ? 1 : 0,
      input.description ?? null,
      await seal(deps.keys, secret),
      deps.clock(),
    ],
  })
  return { endpoint: await findEndpoint(deps, id), secret }
}

export async function updateEndpoint(
  deps: Deps,
  id: string,
  patch: z.infer<typeof EventEndpointPatch>,
): Promise<EndpointRow> {
  const e = await findEndpoint(deps, id)
  await deps.db.execute({
    sql: `UPDATE event_endpoints SET url = ?, types = ?, enabled = ?, description = ? WHERE id = ?`,
    args: [
      patch.url === undefined ? e.url : checkUrl(deps, patch.url),
      [...new Set(patch.types ?? e.types)].join(','),
      (patch.enabled ?? e.enabled) ? 1 : 0,
      patch.description === undefined ? e.description : patch.description,
      id,
    ],
  })
  return findEndpoint(deps, id)
}

/** Deletes the endpoint and its pending deliveries (their log goes with retention). */
export async function deleteEndpoint(deps: Deps, id: string): Promise<void> {
  await findEndpoint(deps, id)
  await deps.db.batch(
    [
      { sql: 'DELETE FROM event_endpoints WHERE id = ?', args: [id] },
      { sql: `DELETE FROM event_deliveries WHERE endpoint_id = ?`, args: [id] },
    ],
    'write',
  )
}

/** A new secret; the current one keeps signing alongside it for PREVIOUS_SECRET_MS. */
export async function rotateSecret(
  deps: Deps,
  id: string,
): Promise<{ endpoint: EndpointRow; secret: string }> {
  const e = await findEndpoint(deps, id)
  const secret = newSecret()
  await deps.db.execute({
    sql: `UPDATE event_endpoints SET secret_sealed = ?, previous_secret_sealed = ?,
            previous_until = ? WHERE id = ?`,
    args: [await seal(deps.keys, secret), e.secretSealed, deps.clock() + PREVIOUS_SECRET_MS, id],
  })
  return { endpoint: await findEndpoint(deps, id), secret }
}

/** The secrets to sign with now: the current one, and the previous one while it lasts. */
export async function signingSecrets(deps: Deps, e: EndpointRow, now: number): Promise<string[]> {
  const sealed = [e.secretSealed]
  if (e.previousSealed && e.previousUntil !== null && e.previousUntil > now)
    sealed.push(e.previousSealed)
  const opened = await Promise.all(sealed.map((s) => openOrNull(deps.keys, s)))
  return opened.filter((s): s is string => s !== null)
}
