import type { Channel, Verification } from '../api/types.js'
import { VerificationController } from '../controllers/verification.js'
import type { VerificationHost } from '../controllers/verification.js'
import type { PhoneVerify } from './phone-verify.js'

/**
 * A verification that reports each code sent after the first: a resend (the same code again, or
 * a call) and a fresh start after a lockout or expiry (a new code). The element then empties the
 * code field and puts the user in it, so a code typed for the old one is never sent.
 */
export class CodeVerification extends VerificationController {
  constructor(
    host: VerificationHost,
    onOtp: (code: string) => void,
    private readonly onSent: (v: Verification, fresh: boolean) => void,
  ) {
    super(host, onOtp)
  }

  override async resend(channel: Channel): Promise<Verification | undefined> {
    const v = await super.resend(channel)
    if (v) this.onSent(v, false)
    return v
  }

  override async restart(): Promise<Verification | undefined> {
    const v = await super.restart()
    if (v) this.onSent(v, true)
    return v
  }
}

/** After a resend or a fresh code: what was sent where, and an empty code field with the focus. */
export async function resent(h: PhoneVerify, v: Verification, fresh: boolean): Promise<void> {
  const t = h.t
  // A call changes the step's own line ("We are calling…"): announced only. A text does not.
  if (v.channel === 'voice') [h.status, h.notice] = [t.callPlaced(v.to ?? ''), false]
  else h.say(fresh ? t.newCodeSent(v.to ?? '') : t.codeResent(v.to ?? ''))
  await h.updateComplete
  const input = h.renderRoot.querySelector<HTMLInputElement>('#code')
  if (!input) return
  input.value = ''
  input.focus()
}

/**
 * After a failed check: a wrong code is cleared to be typed again; a dead end (locked, expired)
 * disables the field, so the focus goes to the "Resend code" after it rather than to the page.
 */
export async function refocusCode(h: PhoneVerify): Promise<void> {
  await h.updateComplete
  const input = h.renderRoot.querySelector<HTMLInputElement>('#code')
  if (!input) return
  if (h.req.error?.code === 'invalid_code') input.value = ''
  if (!input.disabled) return input.focus()
  input.form?.nextElementSibling?.querySelector<HTMLElement>('button')?.focus()
}
