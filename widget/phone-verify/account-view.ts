import { html, nothing } from 'lit'
import { ltr } from '../i18n/ltr.js'
import { codeEntry } from '../parts/code-entry.js'
import { submitButton } from '../parts/messages.js'
import { phoneField } from '../parts/phone-field.js'
import type { PhoneVerify } from './phone-verify.js'
import {
  renderDeleteView,
  renderPasswordView,
  renderProfileView,
  renderSections,
} from './profile-view.js'

/** Signed-in mode: the phone, backup codes and the authenticator app. */
export function renderAccountView(h: PhoneVerify) {
  const t = h.t
  switch (h.view) {
    case 'add': {
      const code = h.req.error?.code
      const invalid = code === 'invalid_phone' || code === 'country_not_allowed'
      return html`<form part="form" novalidate @submit=${(e: Event) => h.submitPhone(e)}>
          ${phoneField(t, invalid, () => invalid && h.clearErrors())}
          ${submitButton(t.sendCode, h.req.pending, t)}
        </form>
        <button type="button" class="link" part="link" @click=${() => h.cancel()}>
          ${t.cancel}
        </button>`
    }
    case 'code':
      return codeEntry({
        t,
        vc: h.vc,
        pending: h.req.pending,
        voice: h.config?.channels?.includes('voice') ?? true,
        errorCode: h.req.error?.code,
        onCode: (code) => void h.submitCode(code),
        onBack: () => h.cancel(),
      })
    case 'change':
      return html`<p>${t.pvChangeIntro}</p>
        <div class="row">
          <button
            type="button"
            class="primary"
            part="button"
            @click=${() => h.account?.startChange()}
          >
            ${t.sendCode}
          </button>
          <button type="button" class="link" part="link" @click=${() => h.go('remove')}>
            ${t.pvRemove}
          </button>
          <button type="button" class="link" part="link" @click=${() => h.cancel()}>
            ${t.cancel}
          </button>
        </div>`
    case 'remove':
      return renderRemove(h)
    case 'codes':
      return h.factors?.renderCodesView(h) ?? nothing
    case 'totp':
      return h.factors?.renderTotpView(h) ?? nothing
    case 'reauth':
      return h.stepUp.flow?.render() ?? nothing
    case 'profile':
    case 'password':
    case 'delete': {
      const p = h.account?.profile
      if (!p) return nothing
      const view = {
        profile: renderProfileView,
        password: renderPasswordView,
        delete: renderDeleteView,
      }
      return view[h.view](h, p)
    }
    default:
      return renderOverview(h)
  }
}

function renderOverview(h: PhoneVerify) {
  const t = h.t
  const u = h.user
  if (!u) return html`<p class="muted">${h.req.error ? t.pvNeedToken : t.loading}</p>`
  const phone = u.phone && u.phoneVerified ? u.phone : undefined
  return html`<p>${phone ? ltr(t.pvPhone, phone) : t.pvNoPhone}</p>
    <div class="row">
      ${
        phone
          ? html`<button type="button" class="primary" part="button" @click=${() => h.go('change')}>
                ${t.pvChange}
              </button>
              <button type="button" class="link" part="link" @click=${() => h.go('remove')}>
                ${t.pvRemove}
              </button>`
          : html`<button type="button" class="primary" part="button" @click=${() => h.go('add')}>
              ${t.pvAdd}
            </button>`
      }
    </div>
    <h3 part="subheading">${t.backupTitle}</h3>
    ${h.backupRemaining !== undefined ? html`<p>${t.backupRemaining(h.backupRemaining)}</p>` : nothing}
    <button type="button" class="link" part="link" @click=${() => h.account?.makeBackupCodes()}>
      ${t.backupNew}
    </button>
    <h3 part="subheading">${t.totpTitle}</h3>
    ${u.twoStep?.totp ? html`<p>${t.totpOn}</p>` : nothing}
    <button type="button" class="link" part="link" @click=${() => h.account?.startTotp()}>
      ${u.twoStep?.totp ? t.totpReplace : t.totpSetup}
    </button>
    ${h.profile && h.account ? renderSections(h, h.account.profile) : nothing}`
}

function renderRemove(h: PhoneVerify) {
  const t = h.t
  const hasTotp = h.user?.twoStep?.totp ?? false
  const submit = (e: Event) => {
    e.preventDefault()
    if (h.req.pending) return
    h.clearErrors()
    const form = e.target as HTMLFormElement
    const code = (form.elements.namedItem('factor-code') as HTMLInputElement).value.replace(
      /\s/g,
      '',
    )
    if (!code) return h.showFieldError(t.required)
    // Six digits is an authenticator code; anything else is taken as a backup code.
    const kind = hasTotp && /^\d{6}$/.test(code) ? 'totp' : 'backup'
    void h.account?.removePhone(code, kind)
  }
  return html`<p>${t.pvRemoveIntro}</p>
    <form part="form" novalidate @submit=${submit}>
      <label for="factor-code" part="label"
        >${hasTotp ? `${t.totpLabel} / ${t.backupCodeLabel}` : t.backupCodeLabel}</label
      >
      <input
        id="factor-code"
        name="factor-code"
        part="input code"
        dir="ltr"
        autocomplete="one-time-code"
        spellcheck="false"
        aria-describedby="error"
      />
      ${submitButton(t.pvRemove, h.req.pending, t)}
    </form>
    <button type="button" class="link" part="link" @click=${() => h.cancel()}>${t.cancel}</button>`
}
