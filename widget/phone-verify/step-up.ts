import type { PhoneVerify } from './phone-verify.js'
import type { ReauthFlow } from './reauth-flow.js'

/**
 * Step-up for sensitive account actions. An action run through `guard` that the API refuses with
 * `reauthentication_required` opens the "Confirm it's you" step instead of an error; once the
 * user proves a factor, the action runs again, once. The step itself (view, strings, requests)
 * is a lazy chunk: right after sign-in the API asks nothing, so most pages never load it.
 */
export class StepUp {
  flow?: ReauthFlow
  #action?: () => Promise<void>

  constructor(private readonly host: PhoneVerify) {
    host.req.divert = (e) => {
      const action = this.#action
      // The retry is not diverted again: a second refusal shows as an error.
      if (e.code !== 'reauthentication_required' || !action || this.flow?.retrying) return false
      void import('./reauth-flow.js').then(
        ({ ReauthFlow }) => (this.flow ??= new ReauthFlow(host)).open(e, action),
        () => host.req.fail('network_error'),
      )
      return true
    }
  }

  async guard(action: () => Promise<void>): Promise<void> {
    this.#action = action
    try {
      await action()
    } finally {
      this.#action = undefined
    }
  }
}
