// The admin API client: the admin token (kept in sessionStorage, gone with the tab) as a Bearer
// token on same-origin calls; failures become errors carrying the problem+json body.
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

export async function api(method, path, body, bearer = token.get()) {
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
    if (res.status === 401 && bearer === token.get()) onUnauthorized(err)
    throw err
  }
  return data
}
