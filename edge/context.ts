/** The per-app context handed to every feature: injected deps plus what the app derived at start. */
import type { Deps } from './deps.js'
import type { SigningKey } from './sessions/signing-key.js'
import type { SessionIssuer } from './sessions/sessions.js'

export interface Ctx extends Deps {
  signingKey: SigningKey
  /**
   * Work that finishes after the answer (a login code's send): tracked so the runtime entry can
   * wait for it before closing the database, and logged (never thrown) when it fails.
   */
  defer(work: Promise<unknown>): void
}

export function issuer(ctx: Ctx): SessionIssuer {
  return {
    db: ctx.db,
    key: ctx.signingKey,
    keys: ctx.keys,
    issuer: ctx.config.publicUrl,
    now: ctx.clock(),
  }
}
