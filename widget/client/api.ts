// Typed calls for every non-admin route of docs/api.md: bearer calls take the stored access token
// and retry once after a refresh on a 401; sign-ins and registrations start the stored session.
import { ApiError } from '../api/client.js'
import type { SmsAuthApi } from '../api/client.js'
import type {
  Channel,
  CheckResult,
  CreateUserRequest,
  ReauthRequest,
  RemovePhoneRequest,
  SignInResult,
  StartVerificationRequest,
} from '../api/types.js'
import { isSignedIn } from '../api/types.js'
import type { SessionStore } from './store.js'

/** Purposes that need the signed-in user's bearer token. */
const BEARER_PURPOSES = new Set(['enroll', 'change_phone', 'reauth'])

export type SessionClient = ReturnType<typeof sessionClient>

export function sessionClient(api: SmsAuthApi, store: SessionStore) {
  /** Verification ids started with a bearer: their resend and check carry it too. */
  const bearerIds = new Set<string>()

  async function authed<T>(call: (token: string) => Promise<T>): Promise<T> {
    const token = await store.accessToken()
    if (!token) throw new ApiError('unauthorized', 401)
    try {
      return await call(token)
    } catch (e) {
      if (!(e instanceof ApiError) || e.status !== 401) throw e
      const fresh = await store.refresh(token)
      if (!fresh) throw e
      return call(fresh.accessToken)
    }
  }
  function maybeAuthed<T>(bearer: boolean, call: (token?: string) => Promise<T>): Promise<T> {
    return bearer ? authed(call) : call()
  }
  function signedIn<T extends object>(r: T): T {
    if (isSignedIn(r)) store.set(r)
    return r
  }

  return {
    getConfig: () => api.getConfig(),
    async startVerification(body: StartVerificationRequest) {
      const bearer = BEARER_PURPOSES.has(body.purpose)
      const v = await maybeAuthed(bearer, (t) => api.startVerification(body, t))
      if (bearer) bearerIds.add(v.id)
      return v
    },
    resend: (id: string, channel: Channel) =>
      maybeAuthed(bearerIds.has(id), (t) => api.resend(id, channel, t)),
    async check(id: string, code: string): Promise<CheckResult> {
      return signedIn(await maybeAuthed(bearerIds.has(id), (t) => api.check(id, code, t)))
    },
    createUser: async (body: CreateUserRequest) => signedIn(await api.createUser(body)),
    signIn: async (email: string, password: string): Promise<SignInResult> =>
      signedIn(await api.signIn(email, password)),
    mfaTotp: async (ticket: string, code: string) => signedIn(await api.mfaTotp(ticket, code)),
    mfaBackupCode: async (ticket: string, code: string) =>
      signedIn(await api.mfaBackupCode(ticket, code)),
    mfaPassword: async (ticket: string, password: string) =>
      signedIn(await api.mfaPassword(ticket, password)),
    /** `POST /v1/sessions/refresh`, through the store (single-flight). */
    refresh: () => store.refresh(),
    /** `DELETE /v1/sessions/current`, then cleared in every tab. */
    logout: () => store.signOut(),
    me: () => authed((t) => api.me(t)),
    removePhone: (body: RemovePhoneRequest) => authed((t) => api.removePhone(t, body)),
    backupCodesRemaining: () => authed((t) => api.backupCodesRemaining(t)),
    newBackupCodes: () => authed((t) => api.newBackupCodes(t)),
    totpSetup: () => authed((t) => api.totpSetup(t)),
    totpVerify: (code: string) => authed((t) => api.totpVerify(t, code)),
    totpDisable: (code: string) =>
      authed((t) => {
        if (!api.totpDisable) throw new ApiError('unknown_error', 0)
        return api.totpDisable(t, code)
      }),
    reauth: (body: ReauthRequest) => authed((t) => api.reauth(t, body)),
  }
}
