/**
 * The bot challenge (docs/api.md "Bot challenge"), a lazy chunk: nothing of it, nor of the
 * provider's script, is fetched until a start needs a token. Turnstile and hCaptcha draw their box
 * in a modal dialog inside the element; reCAPTCHA v3 runs invisibly. Cancelling, or a script that
 * does not load, rejects with the problem the widget shows.
 */
import { CHALLENGE_ACTION } from '../shared/challenge-action.js'

export { challenged } from '../shared/challenge-action.js'
import { ApiError } from './api/client.js'
import type { PublicConfig } from './api/types.js'
import type { Strings } from './i18n/index.js'

export type Challenge = NonNullable<PublicConfig['challenge']>

interface Box {
  render(el: HTMLElement, o: Record<string, unknown>): unknown
}
interface Recaptcha {
  ready(cb: () => void): void
  execute(siteKey: string, o: { action: string }): Promise<string>
}
type Providers = { turnstile?: Box; hcaptcha?: Box; grecaptcha?: Recaptcha }

const scripts = new Map<string, Promise<void>>()

/** Adds the provider's script once per page (a failed load may be tried again). */
function load(url: string): Promise<void> {
  let p = scripts.get(url)
  if (!p) {
    p = new Promise<void>((resolve, reject) => {
      const s = document.createElement('script')
      s.src = url
      s.async = true
      s.onload = () => resolve()
      s.onerror = () => {
        scripts.delete(url)
        s.remove()
        reject(new ApiError('challenge_unavailable', 503))
      }
      document.head.append(s)
    })
    scripts.set(url, p)
  }
  return p
}

/** A token for one start, from the user (a box to tick) or from reCAPTCHA's score. */
export async function solveChallenge(
  root: HTMLElement | DocumentFragment,
  c: Challenge,
  t: Strings,
): Promise<string> {
  await load(c.scriptUrl)
  const w = window as unknown as Providers
  if (c.provider === 'recaptcha') {
    const g = w.grecaptcha
    if (!g) throw new ApiError('challenge_unavailable', 503)
    return new Promise((resolve, reject) =>
      g.ready(() => g.execute(c.siteKey, { action: CHALLENGE_ACTION }).then(resolve, reject)),
    )
  }
  const api = w[c.provider]
  if (!api) throw new ApiError('challenge_unavailable', 503)
  const dialog = document.createElement('dialog')
  dialog.className = 'challenge'
  dialog.setAttribute('part', 'challenge')
  dialog.setAttribute('aria-labelledby', 'challenge-title')
  const title = Object.assign(document.createElement('h3'), {
    id: 'challenge-title',
    textContent: t.challengeTitle,
  })
  const box = document.createElement('div')
  const cancel = Object.assign(document.createElement('button'), {
    type: 'button',
    className: 'link',
    textContent: t.challengeCancel,
  })
  cancel.setAttribute('part', 'link')
  dialog.append(title, box, cancel)
  root.appendChild(dialog)
  dialog.showModal()
  return new Promise<string>((resolve, reject) => {
    const done = () => {
      dialog.close()
      dialog.remove()
    }
    const refuse = () => {
      done()
      reject(new ApiError('challenge_required', 403))
    }
    cancel.onclick = refuse
    // Escape closes a modal dialog: the same as Cancel.
    dialog.oncancel = (e) => {
      e.preventDefault()
      refuse()
    }
    api.render(box, {
      sitekey: c.siteKey,
      // Turnstile binds the token to it; hCaptcha has no action.
      ...(c.provider === 'turnstile' ? { action: CHALLENGE_ACTION } : {}),
      callback: (token: string) => {
        done()
        resolve(token)
      },
      'error-callback': refuse,
    })
  })
}
