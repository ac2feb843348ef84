// The admin API client: the admin token (kept in sessionStorage, gone with the tab) or a named
// admin's access token (account.js) as a Bearer token on same-origin calls; failures become errors
// carrying the problem+json body.
const KEY = 'sms-auth-admin-token'

export const token = {
  get: () => sessionStorage.getItem(KEY),
  set: (value) => sessionStorage.setItem(KEY, value),
  clear: () => sessionStorage.removeItem(KEY),
}

/** Called when the server refuses the token (it was changed, or it is wrong). */
let onUnauthorized = () => {}
export function whenUnauthorized(fn) {
  onUnauthorized = fn
}

export class ProblemError extends Error {
  constructor(status, body) {
    super(body.detail || body.title || `The server answered ${status}.`)
    this.status = status
    this.code = body.code ?? 'unknown_error'
    /** `[{path, message}]` of an invalid_request */
    this.errors = Array.isArray(body.errors) ? body.errors : []
    this.body = body
  }
}

/** Where the Bearer of a call comes from: the admin token, or an admin's session (account.js). */
let source = async () => token.get()
export function bearerFrom(fn) {
  source = fn
}

export async function api(method, path, body, given) {
  const bearer = given ?? (await source())
  let res
  try {
    res = await fetch(path, {
      method,
      headers: {
        authorization: `Bearer ${bearer}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    })
  } catch {
    throw new ProblemError(0, {
      code: 'network_error',
      detail: 'The server did not answer. Is it running?',
    })
  }
  if (res.status === 204) return null
  const data = await res.json().catch(() => ({}))
  if (!res.ok) {
    const err = new ProblemError(res.status, data)
    if (res.status === 401 && given === undefined) onUnauthorized(err)
    throw err
  }
  return data
}

/**
 * GET `path` as a file (e.g. `text/csv`) with the same Bearer: a plain link cannot carry it. Saves
 * it under the name of its Content-Disposition (or `fallback`).
 */
export async function download(path, accept, fallback) {
  const res = await fetch(path, { headers: { authorization: `Bearer ${await source()}`, accept } })
  if (!res.ok) throw new ProblemError(res.status, await res.json().catch(() => ({})))
  const name = /filename="([^"]+)"/.exec(res.headers.get('content-disposition') ?? '')?.[1]
  const url = URL.createObjectURL(await res.blob())
  const a = Object.assign(document.createElement('a'), { href: url, download: name ?? fallback })
  document.body.append(a)
  a.click()
  a.remove()
  // Long enough for the browser to have read it; the page may stay open for hours.
  setTimeout(() => URL.revokeObjectURL(url), 60_000)
}
