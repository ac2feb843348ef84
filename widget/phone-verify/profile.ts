import type { AccountUser, DeviceSession, ProfilePatch } from '../api/types.js'
import { ApiError } from '../api/client.js'
import type { SmsAuthApi } from '../api/client.js'
import type { SessionChange } from '../client/session.js'
import { accountStrings } from '../i18n/account.js'
import type { AccountStrings } from '../i18n/account.js'
import { builtinLocale } from '../i18n/index.js'
import { overlay } from '../i18n/overrides.js'
import type { PhoneVerify } from './phone-verify.js'

type Calls = Required<SmsAuthApi>

/**
 * `<phone-verify profile>`: the account's name, email and password, the devices signed in, and
 * deleting the account (docs/api.md "Account recovery and profile", "Sessions and the account").
 * An email change, a password set or changed without the current one, and the deletion are
 * step-up actions (`reauthentication_required` opens "Confirm it's you", then they run again).
 * Part of the signed-in chunk: a page that only signs in never loads it.
 */
export class Profile {
  /** The devices signed in, once listed. */
  sessions?: DeviceSession[]

  constructor(private readonly host: PhoneVerify) {}

  /** The section's strings in the element's locale, with the site's `account` overrides laid on. */
  get t(): AccountStrings {
    const t = this.host.t
    return overlay(accountStrings[builtinLocale(t.lang) ?? 'en'], t.account)
  }

  get user(): AccountUser | undefined {
    return this.host.user
  }

  /** An account call with the token (a client without it: `unknown_error`). */
  #run<T>(call: (c: Calls, token: string) => Promise<T>): Promise<T | undefined> {
    const h = this.host
    const token = h.token
    if (!token) return Promise.resolve(undefined)
    return h.req.run(() => call(h.client as Calls, token))
  }

  /** `GET /v1/me/sessions`. */
  async loadSessions(): Promise<void> {
    const h = this.host
    if (!h.client.listSessions) return h.req.fail(new ApiError('unknown_error', 0))
    const list = await this.#run((c, token) => c.listSessions(token))
    if (list) this.sessions = list
    h.requestUpdate()
  }

  /** Name (no step-up) and email (step-up): only what changed is sent. */
  saveProfile(name: string, email: string): Promise<void> {
    const h = this.host
    const u = this.user
    const body: ProfilePatch = {}
    if (name !== u?.name) body.name = name
    if (email && email !== (u?.email ?? '')) body.email = email
    if (!Object.keys(body).length) return Promise.resolve(h.go('overview'))
    return h.stepUp.guard(async () => {
      const user = await this.#run((c, token) => c.updateMe(token, body))
      if (!user) return
      h.user = user
      h.go('overview', this.t.profileSaved, true)
    })
  }

  /** Sets or changes the password; the API signs the other devices out, so the list is reread. */
  savePassword(password: string, currentPassword?: string): Promise<void> {
    const h = this.host
    const body = currentPassword ? { password, currentPassword } : { password }
    return h.stepUp.guard(async () => {
      const user = await this.#run((c, token) => c.setPassword(token, body))
      if (!user) return
      h.user = { ...h.user, ...user }
      h.go('overview', this.t.passwordSaved, true)
      await this.loadSessions()
    })
  }

  async revoke(s: DeviceSession): Promise<void> {
    const ok = await this.#run(async (c, token) => {
      await c.revokeSession(token, s.id)
      return true
    })
    if (!ok) return
    this.sessions = this.sessions?.filter((x) => x.id !== s.id)
    this.#said(this.t.signedOutDevice)
  }

  async revokeOthers(): Promise<void> {
    const n = await this.#run((c, token) => c.revokeOtherSessions(token))
    if (n === undefined) return
    this.sessions = this.sessions?.filter((x) => x.current)
    this.#said(this.t.signedOutOthers(n))
  }

  /** After the confirmation: `DELETE /v1/me` (step-up), then the element is signed out. */
  deleteAccount(): Promise<void> {
    const h = this.host
    return h.stepUp.guard(async () => {
      const ok = await this.#run(async (c, token) => {
        await c.deleteMe(token)
        return true
      })
      if (!ok) return
      const userId = h.user?.id ?? ''
      this.sessions = undefined
      h.user = undefined
      const init = { bubbles: true, composed: true }
      h.dispatchEvent(new CustomEvent('sms-auth-account-deleted', { detail: { userId }, ...init }))
      h.go('overview', this.t.deleted, true)
      // The stored session ends (its `sms-auth-session` event follows). A token the page gave is
      // the page's to drop: the element says that its session ended, in the same event.
      if (h.store.get() && !h.accessToken && !h.session) return h.store.signOut()
      const detail: SessionChange = { session: null, reason: 'end' }
      h.dispatchEvent(
        new CustomEvent('sms-auth-session', { detail, bubbles: true, composed: true }),
      )
    })
  }

  /** A success said where the user is, with the focus kept on the list's own way on. */
  #said(text: string): void {
    const h = this.host
    h.say(text)
    h.requestUpdate()
    void h.updateComplete.then(() =>
      h.renderRoot.querySelector<HTMLElement>('#devices-title')?.focus(),
    )
  }
}
