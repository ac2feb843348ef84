import type { ReactiveController, ReactiveControllerHost } from 'lit'
import { en, loadStrings, matchLocale, stringsIfLoaded } from '../i18n/index.js'
import type { Locale, Strings } from '../i18n/index.js'

export type LocaleHost = ReactiveControllerHost & HTMLElement & { locale?: string | null }

/**
 * Picks the locale (the `locale` attribute, then the nearest `lang` on the page, then the
 * browser's) and loads its strings; English is always at hand, so the first paint never waits.
 */
export class LocaleController implements ReactiveController {
  strings: Strings = en
  #want?: Locale
  #observer?: MutationObserver
  #ready: Promise<void> = Promise.resolve()

  constructor(private readonly host: LocaleHost) {
    host.addController(this)
  }

  /** Settles when the strings of the current locale are in place. */
  get ready(): Promise<void> {
    return this.#ready
  }

  get locale(): Locale {
    return this.#want ?? 'en'
  }

  hostConnected(): void {
    // The page may switch language after we render (SPA routers do): follow `lang` changes.
    this.#observer = new MutationObserver(() => this.host.requestUpdate())
    this.#observer.observe(document.documentElement, {
      attributes: true,
      attributeFilter: ['lang'],
    })
  }

  hostDisconnected(): void {
    this.#observer?.disconnect()
  }

  hostUpdate(): void {
    const want = this.resolve()
    if (want === this.#want) return
    this.#want = want
    const have = stringsIfLoaded(want)
    if (have) {
      this.strings = have
      return
    }
    this.#ready = loadStrings(want).then(
      (s) => {
        if (this.#want !== want) return
        this.strings = s
        this.host.requestUpdate()
      },
      () => undefined, // a chunk that fails to load leaves English in place
    )
  }

  resolve(): Locale {
    const page = this.host.closest('[lang]')?.getAttribute('lang')
    return (
      matchLocale(this.host.locale) ??
      matchLocale(page) ??
      navigator.languages.map((l) => matchLocale(l)).find((l) => l) ??
      'en'
    )
  }
}
