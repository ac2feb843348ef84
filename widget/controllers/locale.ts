import type { ReactiveController, ReactiveControllerHost } from 'lit'
import {
  en,
  loadStrings,
  localesVersion,
  matchLocale,
  onLocalesChange,
  stringsIfLoaded,
} from '../i18n/index.js'
import type { Strings } from '../i18n/index.js'

export type LocaleHost = ReactiveControllerHost & HTMLElement & { locale?: string | null }

/**
 * Picks the locale (the `locale` attribute, then the nearest `lang` on the page, then the
 * browser's) and loads its strings; English is always at hand, so the first paint never waits.
 * A locale a site registers later (`registerLocale`) takes effect at once.
 */
export class LocaleController implements ReactiveController {
  strings: Strings = en
  #want?: string
  #version = -1
  #observer?: MutationObserver
  #unsubscribe?: () => void
  #ready: Promise<void> = Promise.resolve()

  constructor(private readonly host: LocaleHost) {
    host.addController(this)
  }

  /** Settles when the strings of the current locale are in place. */
  get ready(): Promise<void> {
    return this.#ready
  }

  get locale(): string {
    return this.#want ?? 'en'
  }

  hostConnected(): void {
    // The page may switch language after we render (SPA routers do): follow `lang` changes.
    this.#observer = new MutationObserver(() => this.host.requestUpdate())
    this.#observer.observe(document.documentElement, {
      attributes: true,
      attributeFilter: ['lang'],
    })
    this.#unsubscribe = onLocalesChange(() => this.host.requestUpdate())
  }

  hostDisconnected(): void {
    this.#observer?.disconnect()
    this.#unsubscribe?.()
  }

  hostUpdate(): void {
    const want = this.resolve()
    if (want === this.#want && this.#version === localesVersion()) return
    this.#want = want
    this.#version = localesVersion()
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

  resolve(): string {
    const page = this.host.closest('[lang]')?.getAttribute('lang')
    return (
      matchLocale(this.host.locale) ??
      matchLocale(page) ??
      navigator.languages.map((l) => matchLocale(l)).find((l) => l) ??
      'en'
    )
  }
}
