import { waitUntil as owcWaitUntil } from '@open-wc/testing'
import { executeServerCommand, sendKeys } from '@web/test-runner-commands'

/** An element of the element's shadow root (throws if missing, so tests fail loudly). */
export function $<T extends Element = HTMLElement>(host: HTMLElement, selector: string): T {
  const el = host.shadowRoot?.querySelector<T>(selector)
  if (!el) throw new Error(`no ${selector} in <${host.localName}>`)
  return el
}

export function has(host: HTMLElement, selector: string): boolean {
  return !!host.shadowRoot?.querySelector(selector)
}

/** Real typing: focus the field, then keystrokes through the browser's input pipeline. */
export async function type(host: HTMLElement, selector: string, text: string): Promise<void> {
  $<HTMLInputElement>(host, selector).focus()
  await sendKeys({ type: text })
}

export async function press(key: string): Promise<void> {
  await sendKeys({ press: key })
}

export function errorText(host: HTMLElement): string {
  return host.shadowRoot?.querySelector('[part~="error"]')?.textContent?.trim() ?? ''
}

export async function waitFor(
  host: HTMLElement,
  selector: string,
  message?: string,
): Promise<void> {
  await waitUntil(() => has(host, selector), message ?? `waiting for ${selector}`)
}

/** Collects events of a type fired on (or bubbling through) a target. */
export function record<T>(target: EventTarget, type: string): CustomEvent<T>[] {
  const seen: CustomEvent<T>[] = []
  target.addEventListener(type, (e) => seen.push(e as CustomEvent<T>))
  return seen
}

export function buttonByText(host: HTMLElement, text: string): HTMLButtonElement {
  const b = [...(host.shadowRoot?.querySelectorAll('button') ?? [])].find((x) =>
    x.textContent?.includes(text),
  )
  if (!b) throw new Error(`no button "${text}"`)
  return b
}

/** waitUntil with room for lazy chunks (phone metadata, locales) on a busy machine. */
export function waitUntil(
  predicate: () => unknown,
  message?: string,
  options: { timeout?: number } = {},
): Promise<void> {
  return owcWaitUntil(predicate, message, { timeout: 8000, ...options })
}

/** prefers-color-scheme for this page, in Chromium and Firefox (tests/widget/engine-commands.mjs). */
export async function colorScheme(value: 'light' | 'dark' | 'none'): Promise<void> {
  await executeServerCommand('color-scheme', { colorScheme: value })
}

/** A real paste (the browser's own paste event and clipboardData) into the field. */
export async function paste(host: HTMLElement, selector: string, text: string): Promise<void> {
  $<HTMLInputElement>(host, selector).focus()
  await executeServerCommand('paste-text', { text })
}

/**
 * Whether `text`, rendered in the host's shadow root, reads left to right on screen: each of its
 * characters starts further right than the one before (so `+91…` does not show as `…91+`).
 */
export function readsLeftToRight(host: HTMLElement, text: string): boolean {
  const walker = document.createTreeWalker(host.shadowRoot!, NodeFilter.SHOW_TEXT)
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const at = n.textContent!.indexOf(text)
    if (at < 0) continue
    const lefts = [...text].map((_, i) => {
      const range = document.createRange()
      range.setStart(n, at + i)
      range.setEnd(n, at + i + 1)
      return range.getBoundingClientRect().left
    })
    return lefts.every((x, i) => i === 0 || x > lefts[i - 1])
  }
  throw new Error(`no text "${text}" in <${host.localName}>`)
}

/**
 * Whether the element matching `selector` has the focus. A boolean, so that a failing assertion
 * reports plainly (an AssertionError holding DOM nodes stalls the runner's error reporting).
 */
export function focused(host: HTMLElement, selector: string): boolean {
  const active = host.shadowRoot?.activeElement
  return !!active && active === host.shadowRoot?.querySelector(selector)
}
