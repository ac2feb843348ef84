import { property } from 'lit/decorators.js'
import { SmsAuthElement } from '../base.js'

/** `required` is on unless turned off: `required="false"`, removing the attribute, or the property. */
const onUnlessFalse = {
  fromAttribute: (value: string | null) => value !== null && value !== 'false',
  toAttribute: (value: boolean) => (value ? '' : null),
}

/**
 * A form-associated element: what a form and its scripts expect of a control (`name`, `required`,
 * `form`, `validity`, `checkValidity()`…), answered by its ElementInternals.
 */
export abstract class FormControl extends SmsAuthElement {
  static formAssociated = true

  /** Form field name (form mode). */
  @property({ reflect: true }) name?: string
  /**
   * Form mode: the form submits only a verified number. On by default and reflected (so
   * `<phone-verify name="phone">` is required, as it always was); turn it off with
   * `required="false"`, by removing the attribute, or with the property. Off, an empty field
   * submits an empty value; a number typed but not verified still blocks the submit.
   */
  @property({ type: Boolean, reflect: true, converter: onUnlessFalse }) required = true

  /** @internal */
  readonly internals: ElementInternals = this.attachInternals()

  /** The form the element belongs to. */
  get form(): HTMLFormElement | null {
    return this.internals.form
  }
  get validity(): ValidityState {
    return this.internals.validity
  }
  get validationMessage(): string {
    return this.internals.validationMessage
  }
  get willValidate(): boolean {
    return this.internals.willValidate
  }
  checkValidity(): boolean {
    return this.internals.checkValidity()
  }
  /** As an input's: when invalid, the browser's message at the field, and the element's own. */
  reportValidity(): boolean {
    return this.internals.reportValidity()
  }
}
