import { LitElement } from 'lit'
import { property, state } from 'lit/decorators.js'
import { consume } from '@lit/context'
import { clientFor } from './api/client.js'
import type { ApiError, SmsAuthApi } from './api/client.js'
import { apiContext } from './api/context.js'
import { scriptOrigin } from './api/origin.js'
import type { PublicConfig } from './api/types.js'
import { LocaleController } from './controllers/locale.js'
import { RequestController } from './controllers/request.js'
import type { Strings } from './i18n/index.js'
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

  /** A client provided by an ancestor through `apiContext` (tests, or a page's own transport). */
  @consume({ context: apiContext, subscribe: true })
  @state()
  protected providedClient?: SmsAuthApi

  /** `GET /v1/config`, once read. */
  @state() config?: PublicConfig
  /** Whether `/v1/config` has answered (or failed): phone fields wait for it. */
  @state() protected configSettled = false
  /** The polite announcement of the last status change. */
  @state() status = ''
  /** An error found by the widget itself, shown like the API's. */
  @state() protected localError?: string

  protected readonly i18n = new LocaleController(this)
  readonly req = new RequestController(this, (e) => this.emitError(e.code, errorMessage(this.t, e)))

  get t(): Strings {
    return isolateNumbers(this.i18n.strings)
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

  protected showLocalError(message: string): void {
    this.localError = message
    this.emitError('invalid_request', message)
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

  /** Moves focus to the first field of the step just shown. */
  protected focusFirst(): void {
    void this.updateComplete.then(() => {
      const el = this.renderRoot.querySelector<HTMLElement>('input:not([disabled]), button.primary')
      el?.focus()
    })
  }
}
