import { nothing } from 'lit'
import type { ResetFlow } from './reset-flow.js'
import type { SmsLogin } from './sms-login.js'

/** Each element's password reset, once its chunk is in (it stays out of widget.js). */
const flows = new WeakMap<SmsLogin, ResetFlow>()

/**
 * "Forgot password?": fetches the reset (a lazy chunk) and opens it, with the email the password
 * step holds, if any.
 */
export async function openReset(h: SmsLogin): Promise<void> {
  const email = h.renderRoot.querySelector<HTMLInputElement>('#email')?.value.trim() ?? ''
  const m = await h.req.run(() => import('./reset-flow.js'))
  if (!m) return
  let flow = flows.get(h)
  if (!flow) flows.set(h, (flow = new m.ResetFlow(h)))
  flow.open(email)
}

export function renderReset(h: SmsLogin) {
  return flows.get(h)?.render() ?? nothing
}

export function resetTitle(h: SmsLogin): string {
  return flows.get(h)?.t.title ?? h.t.forgotPassword
}
