import { LitElement } from 'lit'
import { property, state } from 'lit/decorators.js'
import { consume } from '@lit/context'
import { clientFor } from './api/client.js'
import type { ApiError, SmsAuthApi } from './api/client.js'
import { apiContext } from './api/context.js'
import { scriptOrigin } from './api/origin.js'
import type { PublicConfig } from './api/types.js'
import { storeOf } from './client/registry.js'
import type { Session, SessionChange, StorageMode } from './client/session.js'
import type { SessionStore } from './client/store.js'
import { LocaleController } from './controllers/locale.js'
import { RequestController } from './controllers/request.js'
import type { StringOverrides, Strings } from './i18n/index.js'
import { withStrings } from './i18n/overrides.js'
import { isolateNumbers } from './i18n/isolate.js'
import { errorMessage } from './parts/messages.js'

/** What both elements share: the API client, `/v1/config`, locale, requests and error events. */
export abstract class SmsAuthElement extends LitElement {
  /** API origin; default: the origin widget.js was loaded from. */
  @property() api?: string
  /** BCP 47 locale; default: the page's `lang`, then the browser's. */
  @property({ reflect: true }) locale?: string
  /** ISO 3166-1 alpha-2 country preselected in phone fields; default: the API's `defaultCountry`. */
  @property({ attribute: 'default-country' }) defaultCountry?: string
  /** Present: no heading of its own (for a page that has one); `::part(heading)` is hidden. */
  @property({ type: Boolean, reflect: true, attribute: 'no-heading' }) noHeading = false
  /**
   * Overrides of any of the element's strings (a partial of `Strings`, over its locale's), set
   * as a new object to change them. A `<script type="application/json">` child can give the same;
   * this property wins over it.
   */
  @property({ attribute: false }) strings?: StringOverrides
  /**
   * Where the session is kept: `memory` (this page), `session` (this tab; the default) or
   * `local` (every tab of the site, kept in step). One store per API origin: the elements share it.
   */
  @property() storage?: StorageMode

  /** A client provided by an ancestor through `apiContext` (tests, or a page's own transport). */
  @consume({ context: apiContext, subscribe: true })
  @state()
  protected providedClient?: SmsAuthApi

  /** `GET /v1/config`, once read. */
  @state() config?: PublicConfig
  /** Whether `/v1/config` has answered (or failed): phone fields wait for it. */
  @state() protected configSettled = false
  /** @internal The stored session (null: signed out), as the store last announced it. */
  @state() protected storedSession: Session | null = null
  #store?: SessionStore
  #unsubscribe?: () => void

  /** The polite announcement of the last status change. */
  @state() status = ''
  /** An error found by the widget itself, shown like the API's. */
  @state() protected localError?: string

  protected readonly i18n = new LocaleController(this)
  readonly req = new RequestController(this, (e) => this.emitError(e.code, errorMessage(this.t, e)))

  /** The strings of a `<script type="application/json">` child, if any. */
  #childStrings?: StringOverrides
  #childObserver?: MutationObserver
  #childText?: string | null
  #t?: [Strings, StringOverrides | undefined, StringOverrides | undefined, Strings]

  /** The strings shown: the locale's, then the child script's overrides, then `strings`. */
  get t(): Strings {
    const base = this.i18n.strings
    const [child, own] = [this.#childStrings, this.strings]
    const m = this.#t
    if (m && m[0] === base && m[1] === child && m[2] === own) return m[3]
    // Numbers inside right-to-left sentences read left to right (i18n/isolate.ts).
    return (this.#t = [base, child, own, isolateNumbers(withStrings(base, child, own))])[3]
  }

  override connectedCallback(): void {
    super.connectedCallback()
    this.requestUpdate() // follows the store again after a move
    this.#readChildStrings()
    this.#childObserver = new MutationObserver(() => this.#readChildStrings())
    this.#childObserver.observe(this, { childList: true, subtree: true, characterData: true })
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback()
    this.#childObserver?.disconnect()
    this.#unsubscribe?.()
    this.#store = this.#unsubscribe = undefined
  }

  /** The page's session store for this element's API (shared with the other elements). */
  get store(): SessionStore {
    return storeOf(this.client, this.storage)
  }

  /** Follows the store of the current client; every change is an `sms-auth-session` event. */
  #follow(): void {
    const store = this.store
    if (store === this.#store || !this.isConnected) return
    this.#unsubscribe?.()
    this.#store = store
    this.storedSession = store.get()
    this.#unsubscribe = store.subscribe((change) => {
      this.storedSession = change.session
      this.sessionChanged(change)
      this.emit<SessionChange>('sms-auth-session', change)
    })
  }

  /** A change of the stored session (here, by a refresh, or in another tab). */
  protected sessionChanged(_change: SessionChange): void {}

  #readChildStrings(): void {
    const text = this.querySelector(':scope > script[type="application/json"]')?.textContent
    if (text === this.#childText) return
    this.#childText = text
    let parsed: unknown
    try {
      parsed = text ? JSON.parse(text) : undefined
    } catch {
      console.warn(`<${this.localName}>: its <script type="application/json"> is not JSON`)
    }
    this.#childStrings =
      typeof parsed === 'object' && parsed ? (parsed as StringOverrides) : undefined
    this.requestUpdate()
  }

  get client(): SmsAuthApi {
    return this.providedClient ?? clientFor(this.api || scriptOrigin)
  }

  /** Settles once the configuration and the locale's strings are in. */
  get ready(): Promise<void> {
    return (async () => {
      await this.updateComplete
      await this.#configPromise
      await this.i18n.ready
      await this.updateComplete
    })()
  }

  #configPromise: Promise<void> = Promise.resolve()
  #configFrom?: SmsAuthApi

  protected override willUpdate(changed: Map<PropertyKey, unknown>): void {
    super.willUpdate(changed)
    this.#follow()
    const client = this.client
    if (client !== this.#configFrom) {
      this.#configFrom = client
      const mine = () => this.#configFrom === client
      this.#configPromise = client.getConfig().then(
        (c) => {
          if (mine()) [this.config, this.configSettled] = [c, true]
        },
        () => {
          // The phone field still works with its own defaults; actions report their errors.
          if (mine()) this.configSettled = true
        },
      )
    }
  }

  protected emitError(code: string, message: string): void {
    this.dispatchEvent(
      new CustomEvent('sms-auth-error', {
        detail: { code, message },
        bubbles: true,
        composed: true,
      }),
    )
  }

  protected showLocalError(message: string, code = 'invalid_request'): void {
    this.localError = message
    this.emitError(code, message)
  }

  protected emit<T>(type: string, detail: T): void {
    this.dispatchEvent(new CustomEvent(type, { detail, bubbles: true, composed: true }))
  }

  protected get country(): string | undefined {
    return this.defaultCountry?.toUpperCase() || this.config?.defaultCountry
  }

  protected get voice(): boolean {
    return this.config?.channels?.includes('voice') ?? true
  }

  /** @internal Clears the shown error, local or from the last request. */
  clearErrors(): void {
    this.localError = undefined
    this.req.clear()
  }

  /** Settles once the fields just rendered are in their final place (a phone field's picker). */
  protected fieldsSettled(): Promise<unknown> {
    return Promise.resolve()
  }

  /**
   * Moves focus to the step just shown: its first visible `[data-focus]` element, enabled field or
   * main button. If a field is moved in the DOM as it settles (which drops focus to the page),
   * focus goes back to it.
   */
  protected focusFirst(): void {
    const target = () => {
      const all = this.renderRoot.querySelectorAll<HTMLElement>(
        '[data-focus], input:not([disabled]), button.primary',
      )
      const shown = [...all].filter((el) => el.offsetParent !== null)
      return shown.find((el) => el.hasAttribute('data-focus')) ?? shown[0]
    }
    void this.updateComplete.then(async () => {
      target()?.focus()
      await this.fieldsSettled()
      if (document.activeElement === document.body) target()?.focus()
    })
  }
}
