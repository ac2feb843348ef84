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

const lower = (c: string) => c.toLowerCase() as Iso2
// Destructured where imported, so the bundler keeps only the parser (mobile metadata).
const loadParser = () =>
  import('libphonenumber-js/mobile').then(
    ({ parsePhoneNumberFromString }) => parsePhoneNumberFromString,
  )
const warmUp = () => void loadParser().catch(() => undefined)

/**
 * The phone field: the only module that knows intl-tel-input. It enhances the `<input type=tel>`
 * the host renders (found by `getInput`) once the library's lazy chunk arrives, and validates with
 * libphonenumber-js (mobile metadata, also lazy) before anything is sent.
 */
export class PhoneInputController implements ReactiveController {
  #iti?: Iti
  #input?: HTMLInputElement
  #opts: PhoneFieldOptions
  #key = ''
  #configured = false
  #generation = 0

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

  #attach(input: HTMLInputElement): void {
    this.#destroy()
    this.#input = input
    this.#key = this.#optionsKey()
    const { defaultCountry, allowedCountries, strings: t } = this.#opts
    const only = allowedCountries?.length ? allowedCountries.map(lower) : null
    let initial: Iso2 | '' = defaultCountry ? lower(defaultCountry) : ''
    if (only && (!initial || !only.includes(initial))) initial = only[0]
    const options: SomeOptions = {
      separateDialCode: true,
      // The default (AUTO) opens a fullscreen popup on document.body on small screens, outside
      // our shadow root and styles: the dropdown rendered inline stays inside the widget.
      countrySelectorMode: 'DROPDOWN',
      dropdownParent: null,
      showFlags: false,
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
      },
    }
    // Fetch the validation metadata while the user types, so the submit does not wait for it.
    input.addEventListener('input', warmUp, { once: true })
    const generation = ++this.#generation
    this.ready = import('intl-tel-input').then(({ default: intlTelInput }) => {
      if (generation !== this.#generation) return
      this.#iti = intlTelInput(input, options)
    })
  }

  #destroy(): void {
    this.#generation++
    this.#iti?.destroy()
    this.#iti = undefined
    this.#input = undefined
  }

  /** Parses what was typed against the selected country; never throws. */
  async check(): Promise<PhoneCheck> {
    const raw = this.#input?.value.trim() ?? ''
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
