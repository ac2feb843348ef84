import { ContextProvider } from '@lit/context'
import { ApiError } from '../../widget/api/client.js'
import type { SmsAuthApi } from '../../widget/api/client.js'
import { apiContext } from '../../widget/api/context.js'
import type {
  AccountUser,
  Channel,
  CheckResult,
  CreateUserRequest,
  DeviceSession,
  ErrorCode,
  PasswordResetRequest,
  ProfilePatch,
  PublicConfig,
  ReauthMethod,
  ReauthRequest,
  ReauthResult,
  RemovePhoneRequest,
  ResetMethod,
  SetPasswordRequest,
  SignedIn,
  SignInResult,
  StartVerificationRequest,
  TotpSetup,
  User,
  Verification,
} from '../../widget/api/types.js'

export const CONFIG: PublicConfig = {
  siteName: 'Demo', defaultCountry: 'IN', allowedCountries: ['IN', 'US'], codeLength: 6,
  channels: ['sms', 'voice'], resendCooldownSeconds: 30, phoneLogin: true,
  phoneRegistration: true, passwordLogin: true, challenge: null,
} // prettier-ignore

export const USER: User = {
  id: 'usr_1', name: 'Asha', email: 'asha@example.com', phone: '+919876543210',
  phoneVerified: true, hasPassword: false,
  twoStep: { sms: true, totp: false, backupCodesRemaining: 7 },
  createdAt: '2025-01-01T00:00:00Z',
} // prettier-ignore

export const SESSION = {
  accessToken: 'at_1',
  tokenType: 'Bearer',
  expiresIn: 900,
  refreshToken: 'rt_1',
} as const

export const CODE = '123456'
/** Passwords the fake refuses as the API does (too common), with `errors: [{path: "password"}]`. */
export const WEAK = ['password123', 'qwertyuiop']
export const RESET_TICKET = 'rst_1'

/** Two devices: this one and a phone. */
export const DEVICES: DeviceSession[] = [
  { id: 'ses_1', device: 'Chrome on Linux', address: '203.0.113.0/24', createdAt: '2026-12-01T08:00:00Z', lastUsedAt: '2026-12-02T17:00:00Z', current: true },
  { id: 'ses_2', device: 'Safari on iPhone', address: '198.51.100.0/24', createdAt: '2026-11-20T08:00:00Z', lastUsedAt: '2026-12-01T09:30:00Z', current: false },
  { id: 'ses_3', device: 'Firefox on Windows', address: null, createdAt: '2026-10-02T08:00:00Z', lastUsedAt: '2026-11-02T10:00:00Z', current: false },
] // prettier-ignore
/** The factors the fake accepts for a step-up (`POST /v1/me/reauth`). */
export const PROOF = { totpCode: '654321', backupCode: 'abcd-efgh-ijkl', password: 'correct horse' }
type Call = [name: string, ...args: unknown[]]

/** An in-memory API: records calls; each method's outcome can be replaced per test. */
export class FakeApi implements SmsAuthApi {
  calls: Call[] = []
  config: PublicConfig = { ...CONFIG }
  /** Seconds until resend is allowed. */
  cooldown = 0
  /** What a correct code check answers. */
  approve: CheckResult = {
    status: 'approved',
    registrationTicket: 'rt_ticket',
    phone: '+919876543210',
  }
  attempts = 5
  /** Make the next call of `name` fail with this code. */
  failures = new Map<string, ApiError>()
  /** Hold start/check until released (loading states, double submits). */
  gate?: Promise<void>
  /**
   * Step-up: while set, backup codes, TOTP set-up and enrolment answer `reauthentication_required`
   * with these methods until a proof is made (`proven`); `sticky` refuses even after one.
   */
  stepUp?: ReauthMethod[]
  proven = false
  sticky = false

  fail(
    name: keyof SmsAuthApi,
    code: ErrorCode,
    extra: { attemptsLeft?: number; retryAfter?: number } = {},
  ) {
    this.failures.set(name, new ApiError(code, 400, extra))
  }

  count(name: string): number {
    return this.calls.filter((c) => c[0] === name).length
  }

  #guarded(): void {
    if (this.stepUp && (!this.proven || this.sticky))
      throw new ApiError('reauthentication_required', 403, { methods: this.stepUp })
  }

  async #do<T>(name: string, args: unknown[], fn: () => T): Promise<T> {
    this.calls.push([name, ...args])
    if (this.gate) await this.gate
    await Promise.resolve()
    const f = this.failures.get(name)
    if (f) {
      this.failures.delete(name)
      throw f
    }
    return fn()
  }

  #verification(
    purpose: StartVerificationRequest['purpose'],
    channel: Channel = 'sms',
  ): Verification {
    const now = Date.now()
    const id =
      purpose === 'reauth' ? 'ver_reauth' : purpose === 'password_reset' ? 'ver_reset' : 'ver_1'
    const to = purpose === 'password_reset' && this.resetByEmail ? null : '+91•••••••210'
    return {
      id, purpose: purpose as Verification['purpose'], channel, to: to as string, codeLength: this.config.codeLength,
      expiresAt: new Date(now + 600_000).toISOString(),
      resendAt: new Date(now + this.cooldown * 1000).toISOString(), attemptsLeft: this.attempts,
    } // prettier-ignore
  }

  getConfig() {
    return this.#do('getConfig', [], () => this.config)
  }
  startVerification(body: StartVerificationRequest, token?: string) {
    return this.#do('startVerification', [body, token], () => {
      if (body.purpose === 'enroll') this.#guarded()
      if (body.purpose === 'password_reset') this.resetByEmail = 'email' in body
      return this.#verification(body.purpose, body.channel)
    })
  }
  resend(id: string, channel: Channel, token?: string) {
    const purpose = id === 'ver_reauth' ? 'reauth' : id === 'ver_reset' ? 'password_reset' : 'login'
    return this.#do('resend', [id, channel, token], () => this.#verification(purpose, channel))
  }
  check(id: string, code: string, token?: string) {
    return this.#do('check', [id, code, token], (): CheckResult => {
      if (code !== CODE) throw new ApiError('invalid_code', 400, { attemptsLeft: --this.attempts })
      if (id === 'ver_reset')
        return { status: 'approved', resetTicket: RESET_TICKET, methods: this.resetMethods }
      if (id !== 'ver_reauth') return this.approve
      this.proven = true
      return { status: 'approved', user: this.user }
    })
  }
  createUser(body: CreateUserRequest) {
    return this.#do('createUser', [body], (): SignedIn => ({
      user: { ...USER, name: body.name },
      session: SESSION,
    }))
  }
  signIn(email: string, password: string) {
    return this.#do('signIn', [email, password], (): SignInResult => ({
      user: USER,
      session: SESSION,
    }))
  }
  mfaTotp(ticket: string, code: string) {
    return this.#do('mfaTotp', [ticket, code], () => ({ user: USER, session: SESSION }))
  }
  mfaBackupCode(ticket: string, code: string) {
    return this.#do('mfaBackupCode', [ticket, code], () => ({ user: USER, session: SESSION }))
  }
  mfaPassword(ticket: string, password: string) {
    return this.#do('mfaPassword', [ticket, password], () => {
      if (password !== PROOF.password) throw new ApiError('invalid_credentials', 401)
      return { user: USER, session: SESSION }
    })
  }
  logout(token: string) {
    return this.#do('logout', [token], () => undefined)
  }
  /** Refresh tokens rotate `rt_1` → `rt_2` …; only the latest is accepted (else reuse: 401). */
  rotation = 1
  expiresIn = 900
  refresh(refreshToken: string) {
    return this.#do('refresh', [refreshToken], () => {
      if (refreshToken !== `rt_${this.rotation}`) throw new ApiError('unauthorized', 401)
      const n = ++this.rotation
      const expiresIn = this.expiresIn
      return {
        accessToken: `at_${n}`,
        tokenType: 'Bearer' as const,
        expiresIn,
        refreshToken: `rt_${n}`,
      }
    })
  }
  user: User = { ...USER }
  me(token: string) {
    return this.#do('me', [token], () => this.user)
  }
  removePhone(token: string, body: RemovePhoneRequest) {
    return this.#do('removePhone', [token, body], () => {
      this.user = { ...this.user, phone: null, phoneVerified: false }
      return this.user
    })
  }
  backupCodesRemaining(token: string) {
    return this.#do('backupCodesRemaining', [token], () => 7)
  }
  newBackupCodes(token: string) {
    return this.#do('newBackupCodes', [token], () => {
      this.#guarded()
      return Array.from({ length: 10 }, (_, i) => `code-${i}`)
    })
  }
  totpSetup(token: string) {
    const otpauthUrl = 'otpauth://totp/Demo:asha?secret=JBSWY3DPEHPK3PXP&issuer=Demo'
    return this.#do('totpSetup', [token], (): TotpSetup => {
      this.#guarded()
      return { secret: 'JBSWY3DPEHPK3PXP', otpauthUrl }
    })
  }
  totpVerify(token: string, code: string) {
    return this.#do('totpVerify', [token, code], () => {
      this.user = { ...this.user, twoStep: { ...this.user.twoStep, totp: true } }
      return this.user
    })
  }
  reauth(token: string, body: ReauthRequest) {
    return this.#do('reauth', [token, body], (): ReauthResult => {
      const [[key, value]] = Object.entries(body) as [keyof typeof PROOF, string][]
      if (PROOF[key] !== value) throw new ApiError('invalid_credentials', 401)
      this.proven = true
      const method = key === 'totpCode' ? 'totp' : key === 'backupCode' ? 'backup_code' : 'password'
      return { method, expiresAt: new Date(Date.now() + 300_000).toISOString() }
    })
  }

  // The account's life.
  /** The last password reset was asked for by email (its verification's `to` is null). */
  resetByEmail = false
  /** What a reset still needs after the code (`["totp","backup_code"]`: TOTP is on). */
  resetMethods: ResetMethod[] = []
  /** The reset ticket was used (or expired): `unauthorized`. */
  ticketUsed = false
  sessions: DeviceSession[] = DEVICES.map((d) => ({ ...d }))
  deleted = false
  #weak(password: string): void {
    if (password.length < 8 || WEAK.includes(password))
      throw new ApiError('invalid_request', 400, {
        errors: [{ path: 'password', message: 'too common' }],
      })
  }
  resetPassword(body: PasswordResetRequest) {
    return this.#do('resetPassword', [body], (): SignedIn => {
      if (body.resetTicket !== RESET_TICKET || this.ticketUsed)
        throw new ApiError('unauthorized', 401)
      this.#weak(body.password)
      if (this.resetMethods.length && !body.totpCode && !body.backupCode)
        throw new ApiError('reauthentication_required', 403, { methods: this.resetMethods })
      if (body.totpCode !== undefined && body.totpCode !== PROOF.totpCode)
        throw new ApiError('invalid_credentials', 401)
      if (body.backupCode !== undefined && body.backupCode !== PROOF.backupCode)
        throw new ApiError('invalid_credentials', 401)
      this.ticketUsed = true
      return { user: { ...USER, hasPassword: true } as AccountUser, session: SESSION }
    })
  }
  setPassword(token: string, body: SetPasswordRequest) {
    return this.#do('setPassword', [token, body], (): AccountUser => {
      if (body.currentPassword === undefined) this.#guarded()
      else if (body.currentPassword !== PROOF.password)
        throw new ApiError('invalid_credentials', 401)
      this.#weak(body.password)
      this.sessions = this.sessions.filter((s) => s.current)
      return (this.user = { ...this.user, hasPassword: true } as AccountUser)
    })
  }
  updateMe(token: string, body: ProfilePatch) {
    return this.#do('updateMe', [token, body], (): AccountUser => {
      if (body.email !== undefined) {
        this.#guarded()
        if (body.email === 'taken@example.com') throw new ApiError('email_taken', 409)
      }
      return (this.user = { ...this.user, ...body })
    })
  }
  listSessions(token: string) {
    return this.#do('listSessions', [token], () => this.sessions.map((s) => ({ ...s })))
  }
  revokeSession(token: string, id: string) {
    return this.#do('revokeSession', [token, id], () => {
      this.sessions = this.sessions.filter((s) => s.id !== id)
    })
  }
  revokeOtherSessions(token: string) {
    return this.#do('revokeOtherSessions', [token], () => {
      const n = this.sessions.filter((s) => !s.current).length
      this.sessions = this.sessions.filter((s) => s.current)
      return n
    })
  }
  deleteMe(token: string) {
    return this.#do('deleteMe', [token], () => {
      this.#guarded()
      this.deleted = true
    })
  }
}

/** A container that provides `api` by context to whatever is rendered inside it. */
export function provider(api: SmsAuthApi): HTMLElement {
  const div = document.createElement('div')
  const p = new ContextProvider(div, { context: apiContext, initialValue: api })
  document.body.append(div)
  p.hostConnected()
  return div
}
