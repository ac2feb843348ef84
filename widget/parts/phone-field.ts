import { html } from 'lit'
import type { TemplateResult } from 'lit'
import type { Strings } from '../i18n/index.js'

/**
 * The `<input type=tel>` the phone-input controller enhances. It sits alone in its wrapper so
 * intl-tel-input's own wrapper never disturbs the surrounding template.
 */
export function phoneField(t: Strings, invalid: boolean, onInput: () => void): TemplateResult {
  return html`<label for="phone" part="label">${t.phoneLabel}</label>
    <div class="phone-wrap">
      <input
        id="phone"
        name="phone"
        part="input phone"
        type="tel"
        dir="ltr"
        autocomplete="tel"
        inputmode="tel"
        aria-describedby="phone-hint error"
        aria-invalid=${invalid ? 'true' : 'false'}
        @input=${onInput}
      />
    </div>
    <p class="muted" part="hint" id="phone-hint">${t.phoneHint}</p>`
}
