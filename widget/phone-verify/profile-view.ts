import { css, html, nothing } from 'lit'
import type { TemplateResult } from 'lit'
import type { DeviceSession } from '../api/types.js'
import { submitButton } from '../parts/messages.js'
import type { PhoneVerify } from './phone-verify.js'
import type { Profile } from './profile.js'

/** The devices list and the deletion's look: here, in the lazy chunk, not in widget.js. */
const styles = css`
  .devices {
    list-style: none;
    padding: 0;
    margin: 0 0 12px;
  }
  .devices li {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 0 12px;
    padding: 8px 0;
    border-bottom: 1px solid var(--_border);
  }
  .devices .what {
    flex: 1 1 12em;
  }
  .devices .where {
    unicode-bidi: isolate;
  }
  .danger {
    color: var(--_error);
  }
  .primary.danger {
    background: var(--_error);
    color: var(--_bg);
  }
`

/** Adds the styles above to the element's shadow root, once (no `<style>` text in the tree). */
function adopt(h: PhoneVerify): void {
  const root = h.shadowRoot
  const sheet = styles.styleSheet
  if (root && sheet && !root.adoptedStyleSheets.includes(sheet))
    root.adoptedStyleSheets = [...root.adoptedStyleSheets, sheet]
}

const cancel = (h: PhoneVerify) =>
  html`<button type="button" class="link" part="link" @click=${() => h.cancel()}>
    ${h.t.cancel}
  </button>`

/** A date and time in the element's locale ("2 Dec 2026, 17:40"). */
function when(lang: string, iso: string): string {
  const d = new Date(iso)
  if (Number.isNaN(d.getTime())) return iso
  return new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeStyle: 'short' }).format(d)
}

/** Under the phone and factors: the profile, the devices, and the way to delete the account. */
export function renderSections(h: PhoneVerify, p: Profile): TemplateResult {
  const t = h.t
  const a = p.t
  const u = p.user
  if (!u) return html``
  adopt(h)
  const go = (view: 'profile' | 'password' | 'delete') => () => h.go(view)
  const link = (label: string, onClick: () => void, cls = 'link') =>
    html`<button type="button" class=${cls} part="link" @click=${onClick}>${label}</button>`
  return html`<h3 part="subheading">${a.profileTitle}</h3>
    <p>${u.name}<br /><span dir="auto">${u.email ?? a.noEmail}</span></p>
    ${link(a.editProfile, go('profile'))}
    <p>${u.hasPassword ? a.passwordOn : a.passwordOff}</p>
    ${link(u.hasPassword ? a.changePassword : a.setPassword, go('password'))}
    <h3 part="subheading" id="devices-title" tabindex="-1">${a.devicesTitle}</h3>
    ${
      p.sessions
        ? renderDevices(h, p, p.sessions)
        : html`<p class="muted">${h.req.pending ? t.loading : nothing}</p>`
    }
    <h3 part="subheading">${a.deleteTitle}</h3>
    ${link(a.deleteStart, go('delete'), 'link danger')}`
}

function renderDevices(h: PhoneVerify, p: Profile, list: DeviceSession[]): TemplateResult {
  const a = p.t
  const lang = h.t.lang
  const others = list.some((s) => !s.current)
  return html`<ul class="devices" aria-labelledby="devices-title">
      ${list.map(
        (s, i) =>
          html`<li>
            <span class="what"
              ><strong id=${`device-${i}`}>${s.device}</strong><br /><span class="muted"
                >${s.address ? html`<span class="where" dir="ltr">${s.address}</span> · ` : nothing}
                ${a.lastUsed(when(lang, s.lastUsedAt))}</span
              ></span
            >
            ${
              s.current
                ? html`<span class="success">${a.thisDevice}</span>`
                : html`<button
                    type="button"
                    class="link"
                    part="link"
                    aria-describedby=${`device-${i}`}
                    @click=${() => h.req.pending || p.revoke(s)}
                  >
                    ${h.t.signOut}
                  </button>`
            }
          </li>`,
      )}
    </ul>
    ${
      others
        ? html`<button
            type="button"
            class="link"
            part="link"
            @click=${() => h.req.pending || p.revokeOthers()}
          >
            ${a.signOutOthers}
          </button>`
        : nothing
    }`
}

/** Name and email, as they are now; only what changed is sent. */
export function renderProfileView(h: PhoneVerify, p: Profile): TemplateResult {
  const t = h.t
  const a = p.t
  const u = p.user
  const submit = (e: Event) => {
    e.preventDefault()
    if (h.req.pending) return
    h.clearErrors()
    const form = e.target as HTMLFormElement
    const name = form.elements.namedItem('name') as HTMLInputElement
    const email = form.elements.namedItem('email') as HTMLInputElement
    const bad = !name.value.trim() ? name : !email.checkValidity() ? email : undefined
    if (bad) {
      bad.setAttribute('aria-invalid', 'true')
      bad.focus()
      return h.showFieldError(bad === name ? t.required : t.emailInvalid)
    }
    void p.saveProfile(name.value.trim(), email.value.trim())
  }
  return html`<form part="form" novalidate @submit=${submit}>
      <label for="name" part="label">${t.nameLabel}</label>
      <input
        id="name"
        name="name"
        part="input name"
        autocomplete="name"
        maxlength="100"
        required
        aria-describedby="error"
        .value=${u?.name ?? ''}
      />
      <label for="email" part="label">${t.emailLabel}</label>
      <input
        id="email"
        name="email"
        part="input email"
        type="email"
        autocomplete="email"
        maxlength="254"
        aria-describedby="error"
        aria-invalid=${h.req.error?.code === 'email_taken' ? 'true' : 'false'}
        .value=${u?.email ?? ''}
      />
      ${submitButton(a.save, h.req.pending, t)}
    </form>
    ${cancel(h)}`
}

/** Set a password (a phone-only account, after a step-up) or change it (with the current one). */
export function renderPasswordView(h: PhoneVerify, p: Profile): TemplateResult {
  const t = h.t
  const a = p.t
  const has = p.user?.hasPassword === true
  const err = h.req.error?.code
  const submit = (e: Event) => {
    e.preventDefault()
    if (h.req.pending) return
    h.clearErrors()
    const form = e.target as HTMLFormElement
    const current = form.elements.namedItem('current-password') as HTMLInputElement | null
    const next = form.elements.namedItem('new-password') as HTMLInputElement
    const empty = current && !current.value ? current : !next.value ? next : undefined
    if (empty) {
      empty.focus()
      return h.showFieldError(t.required)
    }
    if (next.value.length < 8) {
      next.focus()
      return h.showFieldError(t.passwordShort)
    }
    void p.savePassword(next.value, current?.value)
  }
  const field = (id: string, label: string, auto: string, invalid: boolean) =>
    html`<label for=${id} part="label">${label}</label>
      <input
        id=${id}
        name=${id}
        part="input password"
        type="password"
        autocomplete=${auto}
        maxlength="128"
        required
        aria-describedby="error"
        aria-invalid=${invalid ? 'true' : 'false'}
      />`
  return html`${has ? nothing : html`<p>${a.passwordOff}</p>`}
    <form part="form" novalidate @submit=${submit}>
      ${
        has
          ? field(
              'current-password',
              a.currentPassword,
              'current-password',
              err === 'invalid_credentials',
            )
          : nothing
      }
      ${field('new-password', a.newPassword, 'new-password', err === 'invalid_request')}
      ${submitButton(has ? a.changePassword : a.setPassword, h.req.pending, t)}
    </form>
    ${cancel(h)}`
}

/** What goes, then the word to type; the step-up follows when the API asks for it. */
export function renderDeleteView(h: PhoneVerify, p: Profile): TemplateResult {
  const t = h.t
  const a = p.t
  const word = a.deleteWord
  const submit = (e: Event) => {
    e.preventDefault()
    if (h.req.pending) return
    h.clearErrors()
    const input = (e.target as HTMLFormElement).elements.namedItem(
      'delete-confirm',
    ) as HTMLInputElement
    const typed = input.value.trim().toLocaleUpperCase(t.lang)
    // The locale's word, or the English one (a keyboard without the locale's script).
    if (typed !== word.toLocaleUpperCase(t.lang) && typed !== 'DELETE') {
      input.setAttribute('aria-invalid', 'true')
      input.focus()
      return h.showFieldError(a.deleteMismatch(word))
    }
    void p.deleteAccount()
  }
  adopt(h)
  return html`<h3 part="subheading">${a.deleteTitle}</h3>
    <p>${a.deleteIntro}</p>
    <form part="form" novalidate @submit=${submit}>
      <label for="delete-confirm" part="label">${a.deleteConfirm(word)}</label>
      <input
        id="delete-confirm"
        name="delete-confirm"
        part="input"
        autocomplete="off"
        spellcheck="false"
        autocapitalize="characters"
        aria-describedby="error"
      />
      <button
        class="primary danger"
        part="button"
        type="submit"
        aria-disabled=${h.req.pending ? 'true' : 'false'}
      >
        ${h.req.pending ? html`<span class="spinner" aria-hidden="true"></span>${t.loading}` : a.deleteNow}
      </button>
    </form>
    ${cancel(h)}`
}
