import type {
  AccountUser,
  ApiErrorCode,
  Channel,
  CheckResult,
  CreateUserRequest,
  DeviceSession,
  ErrorCode,
  PasswordResetRequest,
  Problem,
  PublicConfig,
  ReauthMethod,
  ReauthRequest,
  ProfilePatch,
  ReauthResult,
  RemovePhoneRequest,
  Session,
  SetPasswordRequest,
  SignedIn,
  SignInResult,
  StartVerificationRequest,
  TotpSetup,
  User,
  Verification,
} from './types.js'

/** Every failed call rejects with this: `code` is what the widget switches on. */
export class ApiError extends Error {
  override name = 'ApiError'
  readonly code: ErrorCode
  readonly status: number
  readonly attemptsLeft?: number
  readonly retryAfter?: number
  /** `reauthentication_required`: the factors that can prove it is the user. */
  readonly methods?: ReauthMethod[]
  /** `invalid_phone`: the channels the number can take (a landline: voice only). */
  readonly channels?: Channel[]
  /** `invalid_request`: the fields that failed (`path` like `password`). */
  readonly errors?: { path: string; message: string }[]

  constructor(code: ErrorCode, status: number, extra: Partial<Problem> = {}) {
    super(extra.detail ?? extra.title ?? code)
    this.code = code
    this.status = status
    if (typeof extra.attemptsLeft === 'number') this.attemptsLeft = extra.attemptsLeft
    if (typeof extra.retryAfter === 'number') this.retryAfter = extra.retryAfter
    if (Array.isArray(extra.methods)) this.methods = extra.methods
    if (Array.isArray(extra.channels)) this.channels = extra.channels
    if (Array.isArray(extra.errors)) this.errors = extra.errors
  }
}

/** What the elements need from the API; tests hand in a fake through `apiContext`. */
export interface SmsAuthApi {
  getConfig(): Promise<PublicConfig>
  startVerification(body: StartVerificationRequest, token?: string): Promise<Verification>
  resend(id: string, channel: Channel, token?: string): Promise<Verification>
  check(id: string, code: string, token?: string): Promise<CheckResult>
  createUser(body: CreateUserRequest): Promise<SignedIn>
  signIn(email: string, password: string): Promise<SignInResult>
  mfaTotp(mfaTicket: string, code: string): Promise<SignedIn>
  mfaBackupCode(mfaTicket: string, code: string): Promise<SignedIn>
  /** After an SMS first factor, for an account with a password (`methods` has `password`). */
  mfaPassword(mfaTicket: string, password: string): Promise<SignedIn>
  logout(token: string): Promise<void>
  /** `POST /v1/sessions/refresh`: the session store needs it to keep a session (optional for fakes). */
  refresh?(refreshToken: string): Promise<Session>
  me(token: string): Promise<User>
  removePhone(token: string, body: RemovePhoneRequest): Promise<User | undefined>
  backupCodesRemaining(token: string): Promise<number>
  newBackupCodes(token: string): Promise<string[]>
  totpSetup(token: string): Promise<TotpSetup>
  totpVerify(token: string, code: string): Promise<User>
  /** `DELETE /v1/me/totp`: turns TOTP off (needs a current code). */
  totpDisable?(token: string, code: string): Promise<User>
  /** Step-up with a password, TOTP or backup code (SMS: a `reauth` verification). */
  reauth(token: string, body: ReauthRequest): Promise<ReauthResult>
  // The account's life (optional for a page's own transport made before them).
  /** `POST /v1/password-resets`: the new password after a reset code; signs in. */
  resetPassword?(body: PasswordResetRequest): Promise<SignedIn>
  /** `PUT /v1/me/password`: set (phone-only accounts, after a step-up) or change the password. */
  setPassword?(token: string, body: SetPasswordRequest): Promise<AccountUser>
  /** `PATCH /v1/me`: the name, or the email (after a step-up). */
  updateMe?(token: string, body: ProfilePatch): Promise<AccountUser>
  /** `GET /v1/me/sessions`: the devices signed in. */
  listSessions?(token: string): Promise<DeviceSession[]>
  /** `DELETE /v1/me/sessions/{id}`: signs one device out. */
  revokeSession?(token: string, id: string): Promise<void>
  /** `POST /v1/me/sessions/revoke-others`: signs every other device out; how many ended. */
  revokeOtherSessions?(token: string): Promise<number>
  /** `DELETE /v1/me`: deletes the account (after a step-up). */
  deleteMe?(token: string): Promise<void>
}

/**
 * The widget's code for a problem's `code`: the codes of shared/errors.ts it handles, each named.
 * The switch is exhaustive over them (the `satisfies never` is type-only: no bytes), so a code added
 * there and not here fails `tsc`. At run time `code` is whatever the body held: one it does not
 * know (a newer server's, a routing fault's, none) reads by the status.
 */
function toCode(code: ApiErrorCode, status: number): ErrorCode {
  switch (code) {
    case 'invalid_request': case 'invalid_phone': case 'country_not_allowed':
    case 'origin_not_allowed': case 'rate_limited': case 'invalid_code': case 'too_many_attempts':
    case 'verification_expired': case 'verification_not_found': case 'verification_used':
    case 'phone_taken': case 'email_taken': case 'invalid_credentials': case 'unauthorized':
    case 'forbidden': case 'policy_violation': case 'provider_unavailable':
    case 'payload_too_large': case 'reauthentication_required': case 'database_unavailable':
    case 'spend_cap_reached': case 'challenge_required': case 'challenge_unavailable':
      return code
    default:
      code satisfies never
      if (status === 429) return 'rate_limited'
      if (status === 413) return 'payload_too_large'
      return 'unknown_error'
  }
} // prettier-ignore

/** The fetch client of docs/api.md. */
export class HttpApiClient implements SmsAuthApi {
  readonly base: string
  #config?: Promise<PublicConfig>

  constructor(base: string) {
    this.base = base.replace(/\/+$/, '')
  }

  async #call<T>(method: string, path: string, body?: unknown, token?: string): Promise<T> {
    const headers: Record<string, string> = { accept: 'application/json' }
    if (body !== undefined) headers['content-type'] = 'application/json'
    if (token) headers.authorization = `Bearer ${token}`
    let res: Response
    try {
      res = await fetch(this.base + path, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        credentials: 'omit',
      })
    } catch {
      throw new ApiError('network_error', 0)
    }
    if (res.status === 204) return undefined as T
    const data: unknown = await res.json().catch(() => undefined)
    if (!res.ok) {
      const p = (data && typeof data === 'object' ? data : {}) as Partial<Problem>
      const retry = Number(res.headers.get('retry-after'))
      if (p.retryAfter === undefined && retry > 0) p.retryAfter = retry
      throw new ApiError(toCode(p.code as ApiErrorCode, res.status), res.status, p)
    }
    return data as T
  }

  /** `GET /v1/config`, read once per client (clients are shared per origin: once per page). */
  getConfig(): Promise<PublicConfig> {
    this.#config ??= this.#call<PublicConfig>('GET', '/v1/config').catch((e: unknown) => {
      this.#config = undefined
      throw e
    })
    return this.#config
  }
  startVerification(body: StartVerificationRequest, token?: string) {
    return this.#call<Verification>('POST', '/v1/verifications', body, token)
  }
  resend(id: string, channel: Channel, token?: string) {
    const path = `/v1/verifications/${encodeURIComponent(id)}/resend`
    return this.#call<Verification>('POST', path, { channel }, token)
  }
  check(id: string, code: string, token?: string) {
    const path = `/v1/verifications/${encodeURIComponent(id)}/check`
    return this.#call<CheckResult>('POST', path, { code }, token)
  }
  createUser(body: CreateUserRequest) {
    return this.#call<SignedIn>('POST', '/v1/users', body)
  }
  signIn(email: string, password: string) {
    return this.#call<SignInResult>('POST', '/v1/sessions', { email, password })
  }
  mfaTotp(mfaTicket: string, code: string) {
    return this.#call<SignedIn>('POST', '/v1/mfa/totp', { mfaTicket, code })
  }
  mfaBackupCode(mfaTicket: string, code: string) {
    return this.#call<SignedIn>('POST', '/v1/mfa/backup-code', { mfaTicket, code })
  }
  mfaPassword(mfaTicket: string, password: string) {
    return this.#call<SignedIn>('POST', '/v1/mfa/password', { mfaTicket, password })
  }
  logout(token: string) {
    return this.#call<void>('DELETE', '/v1/sessions/current', undefined, token)
  }
  async refresh(refreshToken: string) {
    const r = await this.#call<{ session: Session }>('POST', '/v1/sessions/refresh', {
      refreshToken,
    })
    return r.session
  }
  async me(token: string) {
    return (await this.#call<{ user: User }>('GET', '/v1/me', undefined, token)).user
  }
  async removePhone(token: string, body: RemovePhoneRequest) {
    const r = await this.#call<{ user?: User } | undefined>(
      'POST',
      '/v1/me/phone/remove',
      body,
      token,
    )
    return r?.user
  }
  async backupCodesRemaining(token: string) {
    const r = await this.#call<{ remaining: number }>(
      'GET',
      '/v1/me/backup-codes',
      undefined,
      token,
    )
    return r.remaining
  }
  async newBackupCodes(token: string) {
    return (await this.#call<{ codes: string[] }>('POST', '/v1/me/backup-codes', {}, token)).codes
  }
  totpSetup(token: string) {
    return this.#call<TotpSetup>('POST', '/v1/me/totp', {}, token)
  }
  async totpVerify(token: string, code: string) {
    return (await this.#call<{ user: User }>('POST', '/v1/me/totp/verify', { code }, token)).user
  }
  async totpDisable(token: string, code: string) {
    return (await this.#call<{ user: User }>('DELETE', '/v1/me/totp', { code }, token)).user
  }
  reauth(token: string, body: ReauthRequest) {
    return this.#call<ReauthResult>('POST', '/v1/me/reauth', body, token)
  }
  resetPassword(body: PasswordResetRequest) {
    return this.#call<SignedIn>('POST', '/v1/password-resets', body)
  }
  async setPassword(token: string, body: SetPasswordRequest) {
    return (await this.#call<{ user: AccountUser }>('PUT', '/v1/me/password', body, token)).user
  }
  async updateMe(token: string, body: ProfilePatch) {
    return (await this.#call<{ user: AccountUser }>('PATCH', '/v1/me', body, token)).user
  }
  async listSessions(token: string) {
    const path = '/v1/me/sessions'
    return (await this.#call<{ sessions: DeviceSession[] }>('GET', path, undefined, token)).sessions
  }
  revokeSession(token: string, id: string) {
    const path = `/v1/me/sessions/${encodeURIComponent(id)}`
    return this.#call<void>('DELETE', path, undefined, token)
  }
  async revokeOtherSessions(token: string) {
    const path = '/v1/me/sessions/revoke-others'
    return (await this.#call<{ revoked: number }>('POST', path, {}, token)).revoked
  }
  deleteMe(token: string) {
    return this.#call<void>('DELETE', '/v1/me', undefined, token)
  }
}

const clients = new Map<string, HttpApiClient>()

/** One client per API origin, so `GET /v1/config` is read once per page. */
export function clientFor(base: string): HttpApiClient {
  let c = clients.get(base)
  if (!c) clients.set(base, (c = new HttpApiClient(base)))
  return c
}
