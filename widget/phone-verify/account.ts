import { renderAccountView } from './account-view.js'
import type { PhoneVerify } from './phone-verify.js'
import { Profile } from './profile.js'

/**
 * Signed-in mode: its views and account calls (a change of phone, removal, backup codes, TOTP).
 * A lazy chunk, fetched together with the user: a page that only signs in never loads it.
 */
export class Account {
  /** `profile`: the name, email, password, devices and deletion sections. */
  readonly profile: Profile

  constructor(private readonly host: PhoneVerify) {
    this.profile = new Profile(host)
  }

  /** The user is in: with `profile`, the devices list follows. */
  loaded(): Promise<void> | undefined {
    return this.host.profile ? this.profile.loadSessions() : undefined
  }

  render() {
    return renderAccountView(this.host)
  }

  /** Change phone, step one: prove the current phone. */
  async startChange(): Promise<void> {
    const h = this.host
    const v = await h.vc.start(
      { purpose: 'change_phone', channel: 'sms', locale: h.t.lang },
      h.token,
    )
    if (!v) return
    h.changing = true
    h.go('code', h.t.codeSent(v.to ?? ''))
  }

  async removePhone(code: string, kind: 'totp' | 'backup'): Promise<void> {
    const h = this.host
    const token = h.token
    if (!token) return
    const body = kind === 'totp' ? { totpCode: code } : { backupCode: code }
    const ok = await h.req.run(async () => {
      await h.client.removePhone(token, body)
      return true
    })
    if (!ok) return
    await h.refresh()
    h.go('overview', h.t.pvRemoved, true)
    h.emitRemoved()
  }

  /** An account call, made once the views for its answer are in (codes are shown only once). */
  #call<T>(call: (token: string) => Promise<T>): Promise<T | undefined> {
    const h = this.host
    const token = h.token
    if (!token) return Promise.resolve(undefined)
    return h.req.run(async () => {
      h.factors ??= await import('./factors-view.js')
      return call(token)
    })
  }

  makeBackupCodes(): Promise<void> {
    const h = this.host
    return h.stepUp.guard(async () => {
      const codes = await this.#call((token) => h.client.newBackupCodes(token))
      if (!codes) return
      h.newCodes = codes
      h.backupRemaining = codes.length
      h.go('codes', h.t.backupShownOnce)
    })
  }

  /** Sets up an authenticator app, or replaces the one that is on. */
  startTotp(): Promise<void> {
    const h = this.host
    return h.stepUp.guard(async () => {
      const setup = await this.#call((token) => h.client.totpSetup(token))
      if (!setup) return
      h.totp = setup
      h.go('totp', h.t.totpScan)
    })
  }

  async verifyTotp(code: string): Promise<void> {
    const h = this.host
    const token = h.token
    if (!token) return
    const user = await h.req.run(() => h.client.totpVerify(token, code))
    if (!user) return
    h.user = user
    h.totp = undefined
    h.go('overview', h.t.totpEnabled, true)
  }
}
