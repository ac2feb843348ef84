import type { ReactiveController } from 'lit'
import type { PhoneVerify } from './phone-verify.js'

/**
 * Form association through ElementInternals: the value is the verified E.164 number, and the
 * control stays invalid (so the form will not submit) until a number is verified.
 */
export class FormValue implements ReactiveController {
  readonly internals: ElementInternals

  constructor(private readonly host: PhoneVerify) {
    this.internals = host.attachInternals()
    host.addController(this)
  }

  hostConnected(): void {
    if (!this.host.token) this.sync()
  }

  sync(): void {
    const { host, internals } = this
    const phone = host.verifiedPhone
    internals.setFormValue(phone ?? null)
    if (phone || !host.required) {
      internals.setValidity({})
      return
    }
    const anchor = host.renderRoot?.querySelector<HTMLElement>('#phone, #code') ?? undefined
    internals.setValidity({ customError: true }, host.t.mustVerify, anchor)
  }
}
