import type { ReactiveController } from 'lit'
import type { PhoneVerify } from './phone-verify.js'

/**
 * Form association through ElementInternals: the value is the verified E.164 number. The control
 * is invalid while a number is typed but not verified, and, when `required`, while there is none;
 * a submit it blocks says why inside the element (the `invalid` event), in every engine.
 */
export class FormValue implements ReactiveController {
  constructor(private readonly host: PhoneVerify) {
    host.addController(this)
    host.addEventListener('invalid', () => host.blocked())
  }

  hostConnected(): void {
    this.sync()
  }

  sync(): void {
    const host = this.host
    const internals = host.internals
    if (host.token) {
      // Signed-in mode manages an account, not a form field.
      internals.setFormValue(null)
      internals.setValidity({})
      return
    }
    const phone = host.verifiedPhone
    const root = host.renderRoot as ParentNode | undefined
    const field = root?.querySelector<HTMLInputElement>('#phone')
    field?.setAttribute('aria-required', String(host.required))
    const typed = !!field?.value.trim()
    if (phone || (!typed && !host.required)) {
      internals.setFormValue(phone ?? '')
      internals.setValidity({})
      return
    }
    internals.setFormValue(null)
    // The browser points at (and focuses) the anchor: the field the user has to deal with next.
    const code = root?.querySelector<HTMLInputElement>('#code')
    const resend = code?.disabled ? code.form?.nextElementSibling?.querySelector('button') : null
    const anchor = resend ?? code ?? root?.querySelector<HTMLElement>('#phone') ?? undefined
    const flags = typed || code ? { customError: true } : { valueMissing: true }
    internals.setValidity(flags, host.t.mustVerify, anchor)
  }
}
