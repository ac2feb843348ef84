import type { ReactiveController, ReactiveControllerHost } from 'lit'
import { ApiError } from '../api/client.js'
import type { ErrorCode } from '../api/types.js'

/**
 * One request at a time per element: `run` refuses to start while another is pending (no double
 * submits), keeps the loading flag for the template and hands every failure to `onError`.
 */
export class RequestController implements ReactiveController {
  pending = false
  error?: ApiError
  /** An error this returns true for is taken care of elsewhere (a step-up): not shown, not reported. */
  divert?: (error: ApiError) => boolean

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly onError: (error: ApiError) => void,
  ) {
    host.addController(this)
  }

  hostConnected(): void {}

  async run<T>(fn: () => Promise<T>): Promise<T | undefined> {
    if (this.pending) return undefined
    this.pending = true
    this.error = undefined
    this.host.requestUpdate()
    try {
      return await fn()
    } catch (e) {
      const error = e instanceof ApiError ? e : new ApiError('unknown_error', 0)
      if (!this.divert?.(error)) this.fail(error)
      return undefined
    } finally {
      this.pending = false
      this.host.requestUpdate()
    }
  }

  /** Shows an error raised by the widget itself (e.g. a number that fails validation). */
  fail(error: ApiError | ErrorCode): void {
    this.error = typeof error === 'string' ? new ApiError(error, 0) : error
    this.host.requestUpdate()
    this.onError(this.error)
  }

  clear(): void {
    if (!this.error) return
    this.error = undefined
    this.host.requestUpdate()
  }
}
