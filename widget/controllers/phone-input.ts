import type { ReactiveController, ReactiveControllerHost } from 'lit'
import type { Iso2, Iti, SomeOptions } from 'intl-tel-input'
import type { Strings } from '../i18n/index.js'

export interface PhoneFieldOptions {
  /** ISO alpha-2, any case. */
  defaultCountry?: string
  allowedCountries?: readonly string[] | null
  strings: Strings
}

export type PhoneCheck =
  | { ok: true; e164: string; country: string }
  | { ok: false; code: 'invalid_phone' | 'country_not_allowed' }

type IntlTelInput = typeof import('intl-tel-input').default

const lower = (c: string) => c.toLowerCase() as Iso2
// Destructured where imported, so the bundler keeps only the parser (mobile metadata).
const loadParser = () =>
  import('libphonenumber-js/mobile').then(
    ({ parsePhoneNumberFromString }) => parsePhoneNumberFromString,
  )
const warmUp = () => void loadParser().catch(() => undefined)

/** The emoji flag of a country: its two regional indicator symbols (no image to download). */
const flag = (iso2: string) =>
  String.fromCodePoint(...[...iso2.toUpperCase()].map((c) => 0x1f1a5 + c.charCodeAt(0)))

let flagSheet: CSSStyleSheet | undefined
/** One rule per country for the library's `.iti__<iso2>` flag boxes, built once per page. */
function flagStyles(iti: IntlTelInput): CSSStyleSheet {
  if (!flagSheet) {
    flagSheet = new CSSStyleSheet()
    const rules = iti
      .getAllCountries()
      .map((c) => `.iti__${c.iso2}::before{content:'${flag(c.iso2)}'}`)
    flagSheet.replaceSync(rules.join(''))
  }
  return flagSheet
}

/**
 * intl-tel-input answers a typed "+" by opening its country search with the "+" in it. Stopping
 * the library's listener (added after this one) lets the "+" reach the field, so the dial code
 * typed next sets the country, as pasting a number does.
 */
function keepPlus(e: Event): void {
  const typedPlus =
    e instanceof KeyboardEvent
      ? e.key === '+'
      : e instanceof InputEvent && e.data === '+' && e.inputType === 'insertText'
  if (typedPlus) e.stopImmediatePropagation()
}

function isFocused(input: HTMLInputElement): boolean {
  return (input.getRootNode() as Document | ShadowRoot).activeElement === input
}

/**
 * The phone field: the only module that knows intl-tel-input. The host renders a plain
 * `<input type=tel>` (found by `getInput`), usable at once; the country picker (a lazy chunk
 * fetched right after first paint) enhances it in place, keeping what was typed, the caret and
 * the focus. Numbers are validated with libphonenumber-js (mobile metadata, fetched once the
 * user reaches the field) before anything is sent.
 */
export class PhoneInputController implements ReactiveController {
  /** @internal How the picker's chunk is fetched (tests hold it back to type before it lands). */
  static loadPicker = (): Promise<IntlTelInput> => import('intl-tel-input').then((m) => m.default)

  #iti?: Iti
  #input?: HTMLInputElement
  #opts: PhoneFieldOptions
  #key = ''
  #configured = false
  #generation = 0
  #listeners?: AbortController
  #observer?: MutationObserver
  #padding?: MutationObserver

  constructor(
    private readonly host: ReactiveControllerHost & HTMLElement,
    private readonly getInput: () => HTMLInputElement | null | undefined,
    opts: PhoneFieldOptions,
  ) {
    this.#opts = opts
    host.addController(this)
  }

  /** Resolves when the country picker is in place (tests and the benchmark wait on it). */
  ready: Promise<void> = Promise.resolve()

  hostConnected(): void {
    // Once the first frame is painted with a phone field in it, start fetching the picker
    // alongside `/v1/config` (a profile page without one fetches it only when it shows one).
    requestAnimationFrame(() =>
      setTimeout(() => {
        if (this.getInput()) void PhoneInputController.loadPicker().catch(() => undefined)
      }),
    )
  }

  /**
   * Sets the countries and strings; the picker is built on the first call, so hosts call it once
   * `/v1/config` has settled rather than building it twice.
   */
  configure(opts: PhoneFieldOptions): void {
    this.#opts = opts
    this.#configured = true
    if (this.#input && this.#key !== this.#optionsKey()) this.#attach(this.#input)
  }

  hostUpdated(): void {
    if (!this.#configured) return
    const input = this.getInput() ?? undefined
    if (input !== this.#input) {
      this.#destroy()
      if (input) this.#attach(input)
    }
  }

  hostDisconnected(): void {
    this.#destroy()
  }

  /** The selected country (upper case) or the default one. */
  get country(): string | undefined {
    const iso = this.#iti?.getSelectedCountry()?.iso2 ?? this.#opts.defaultCountry
    return iso?.toUpperCase()
  }

  #optionsKey(): string {
    const { defaultCountry, allowedCountries, strings } = this.#opts
    return `${defaultCountry}|${allowedCountries?.join(',')}|${strings.lang}`
  }

  #options(): SomeOptions {
    const { defaultCountry, allowedCountries, strings: t } = this.#opts
    const only = allowedCountries?.length ? allowedCountries.map(lower) : null
    let initial: Iso2 | '' = defaultCountry ? lower(defaultCountry) : ''
    if (only && (!initial || !only.includes(initial))) initial = only[0]
    return {
      separateDialCode: true,
      // The default (AUTO) opens a fullscreen popup on document.body on small screens, outside
      // our shadow root and styles: the dropdown rendered inline stays inside the widget.
      countrySelectorMode: 'DROPDOWN',
      dropdownParent: null,
      showFlags: true,
      onlyCountries: only,
      initialCountry: initial,
      countryNameLocale: t.lang,
      placeholderNumberPolicy: 'OFF',
      uiTranslations: {
        searchPlaceholder: t.countrySearch,
        countryListAriaLabel: t.countryList,
        selectedCountryAriaLabel: t.countrySelected,
        noCountrySelected: t.noCountry,
        searchEmptyState: t.noResults,
        searchSummaryAria: t.countryResults,
      },
    }
  }

  #attach(input: HTMLInputElement): void {
    const hadFocus = isFocused(input)
    this.#destroy()
    if (hadFocus && !isFocused(input)) input.focus({ preventScroll: true })
    this.#input = input
    this.#key = this.#optionsKey()
    const options = this.#options()
    const t = this.#opts.strings
    this.#listeners = new AbortController()
    const { signal } = this.#listeners
    // Fetch the validation metadata once the user reaches the field, so the submit does not wait.
    input.addEventListener('focus', warmUp, { once: true, signal })
    input.addEventListener('input', warmUp, { once: true, signal })
    input.addEventListener('keydown', keepPlus, { signal })
    input.addEventListener('input', keepPlus, { signal })
    const generation = ++this.#generation
    this.ready = PhoneInputController.loadPicker().then((intlTelInput) => {
      if (generation !== this.#generation) return
      // The library moves the field into its wrapper, which blurs it: put back focus and caret.
      const focused = isFocused(input)
      const { value, selectionStart, selectionEnd } = input
      this.#iti = intlTelInput(input, options)
      this.#decorate(intlTelInput, input, t)
      if (focused) {
        if (!isFocused(input)) input.focus({ preventScroll: true })
        const end = input.value.length
        if (input.value === value) input.setSelectionRange(selectionStart, selectionEnd)
        else input.setSelectionRange(end, end)
      }
    })
  }

  /** Flags, names and announcements the library leaves out. */
  #decorate(intlTelInput: IntlTelInput, input: HTMLInputElement, t: Strings): void {
    const root = this.host.shadowRoot
    const sheet = flagStyles(intlTelInput)
    if (root && !root.adoptedStyleSheets.includes(sheet))
      root.adoptedStyleSheets = [...root.adoptedStyleSheets, sheet]
    const wrapper = input.parentElement
    // To choose between opening below or above the field, the library measures the list once
    // outside our shadow root, unstyled and thousands of pixels tall: cap what it measures.
    const selector = wrapper?.querySelector<HTMLElement>('.iti__country-selector')
    if (selector) Object.assign(selector.style, { maxHeight: '320px', overflow: 'hidden' })
    // The dialog around the search and the list needs a name of its own (axe: aria-dialog-name).
    wrapper?.querySelector('[role="dialog"]')?.setAttribute('aria-label', t.countryList)
    // The library writes the result count here on every search; make it a polite live region.
    const summary = wrapper?.querySelector('.iti__a11y-text')
    summary?.setAttribute('role', 'status')
    summary?.setAttribute('aria-live', 'polite')
    // Theming: the library offers no part names, so they are set here (README, "Theming").
    wrapper?.querySelector('.iti__selected-country')?.setAttribute('part', 'country-button')
    wrapper?.querySelector('.iti__country-list')?.setAttribute('part', 'country-list')
    wrapper?.querySelector('.iti__search-input')?.setAttribute('part', 'input country-search')
    this.#keepDialCodeClear(input)
    // A list item's name is the country and its dial code; the flag is decoration.
    wrapper
      ?.querySelectorAll('.iti__country .iti__flag')
      .forEach((f) => f.setAttribute('aria-hidden', 'true'))
    // A search that empties the list leaves it pointing at a removed option (axe:
    // aria-valid-attr-value): drop the pointer until an option is there again.
    const list = wrapper?.querySelector('[role="listbox"]')
    const search = wrapper?.querySelector('[role="combobox"]')
    if (list && search) {
      this.#observer = new MutationObserver(() => {
        if (!list.firstElementChild) search.removeAttribute('aria-activedescendant')
      })
      this.#observer.observe(list, { childList: true })
    }
  }

  /**
   * The library pads the field past the dial code with an inline style, but a page's
   * `::part(phone) { padding: … }` outranks inline styles inside a shadow root and would put the
   * digits under the dial code. The same padding made `!important` here outranks the page's.
   */
  #keepDialCodeClear(input: HTMLInputElement): void {
    const pin = () => {
      for (const side of ['padding-left', 'padding-right']) {
        const value = input.style.getPropertyValue(side)
        if (value && input.style.getPropertyPriority(side) !== 'important')
          input.style.setProperty(side, value, 'important')
      }
    }
    pin()
    this.#padding = new MutationObserver(pin)
    this.#padding.observe(input, { attributes: true, attributeFilter: ['style'] })
  }

  #destroy(): void {
    this.#generation++
    this.#listeners?.abort()
    this.#listeners = undefined
    this.#observer?.disconnect()
    this.#padding?.disconnect()
    this.#iti?.destroy()
    this.#iti = undefined
    this.#input = undefined
  }

  /** Parses what was typed against the selected country; never throws. */
  async check(): Promise<PhoneCheck> {
    const raw = (this.#input ?? this.getInput())?.value.trim() ?? ''
    const country = this.country
    const parsePhoneNumberFromString = await loadParser()
    const parsed = parsePhoneNumberFromString(raw, country as never)
    if (!parsed || !parsed.isValid()) return { ok: false, code: 'invalid_phone' }
    const allowed = this.#opts.allowedCountries
    const region = parsed.country ?? ''
    if (allowed?.length && !allowed.some((c) => c.toUpperCase() === region)) {
      return { ok: false, code: 'country_not_allowed' }
    }
    return { ok: true, e164: parsed.number, country: region || country || '' }
  }
}
