import { html } from 'lit'
import type { TemplateResult } from 'lit'

// An invisible separator no translation contains: where the sentence puts its value.
const SLOT = '\u2063'

/**
 * A translated sentence around a phone number (or a code), the number isolated and read left to
 * right in every language: in Arabic `+1 201…` never shows as `…201 1+`.
 */
export function ltr(sentence: (value: string) => string, value: string): TemplateResult {
  const [first, ...rest] = sentence(SLOT).split(SLOT)
  return html`${first}${rest.map((text) => html`<bdi dir="ltr">${value}</bdi>${text}`)}`
}
