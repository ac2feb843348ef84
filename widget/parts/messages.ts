import { html, nothing } from 'lit'
import type { TemplateResult } from 'lit'
import type { ApiError } from '../api/client.js'
import type { Strings } from '../i18n/index.js'

/** Waits past this are a lock only a success elsewhere or an admin ends: no time is given. */
const LONGEST_WAIT_S = 7 * 86_400

/** The translated sentence for an error, with attempts left or the wait when the API gave them. */
export function errorMessage(t: Strings, e: ApiError): string {
  // `attemptsLeft` is what is left after this failure: at 0 no other try is allowed.
  if (e.code === 'invalid_code' && e.attemptsLeft === 0) return t.noAttemptsLeft
  // A password the API refused (too short, too common): say so, not "something is not right".
  if (e.code === 'invalid_request' && e.errors?.some((x) => x.path === 'password'))
    return t.passwordWeak
  let m = t.errors[e.code]
  if (e.code === 'invalid_code' && e.attemptsLeft !== undefined)
    m += ' ' + t.attemptsLeft(e.attemptsLeft)
  if (e.retryAfter && e.retryAfter <= LONGEST_WAIT_S) m += ' ' + t.retryIn(e.retryAfter)
  return m
}

/** The error line (role=alert: announced at once) and the polite status line. */
export function messages(
  t: Strings,
  error: ApiError | undefined,
  local: string | undefined,
  status: string,
): TemplateResult {
  const text = local ?? (error ? errorMessage(t, error) : undefined)
  return html`<p part="error" role="alert" id="error">${text ?? nothing}</p>
    <p class="sr-only" part="status" aria-live="polite" role="status">${status}</p>`
}

/** A submit button that shows progress without becoming unfocusable. */
export function submitButton(label: string, pending: boolean, t: Strings): TemplateResult {
  return html`<button
    class="primary"
    part="button"
    type="submit"
    aria-disabled=${pending ? 'true' : 'false'}
  >
    ${pending ? html`<span class="spinner" aria-hidden="true"></span>${t.loading}` : label}
  </button>`
}

/** A secondary action; while its request is on its way it says so and takes no second click. */
export function linkButton(
  label: string,
  onClick: () => unknown,
  busy: boolean,
  t: Strings,
  id?: string,
): TemplateResult {
  return html`<button
    type="button"
    class="link"
    part="link"
    id=${id ?? nothing}
    aria-disabled=${busy ? 'true' : 'false'}
    @click=${() => busy || onClick()}
  >
    ${busy ? html`<span class="spinner" aria-hidden="true"></span>${t.loading}` : label}
  </button>`
}
