/** What the `<sms-login>` test files share: mounting, the way to the code step, focus and status. */
import '../../widget/define.js'
import type { SmsLogin } from '../../widget/index.js'
import { FakeApi, provider } from './fake-api.js'
import { press, type, waitFor } from './helpers.js'

export async function mount(api = new FakeApi(), attrs = '') {
  const parentNode = provider(api)
  parentNode.innerHTML = `<sms-login ${attrs}></sms-login>`
  const el = parentNode.querySelector('sms-login') as SmsLogin
  await el.ready
  await el.phone.ready
  return { el, api }
}

export async function toCodeStep(el: SmsLogin, phone = '9876543210') {
  await type(el, '#phone', phone)
  await press('Enter')
  await waitFor(el, '#code')
}

/** The element of the shadow root that has the focus (null when the page has it). */
export function focused(el: HTMLElement): Element | null {
  return document.activeElement === el ? (el.shadowRoot?.activeElement ?? null) : null
}

/** The polite announcement (`role="status"`). */
export function statusText(el: HTMLElement): string {
  return el.shadowRoot?.querySelector('[role="status"]')?.textContent?.trim() ?? ''
}

/** Holds every call of the fake until `release()` (a network that answers late). */
export function slow(api: FakeApi): { release(): void } {
  let release = () => {}
  api.gate = new Promise<void>((r) => (release = r))
  return {
    release() {
      api.gate = undefined
      release()
    },
  }
}
