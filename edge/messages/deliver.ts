/**
 * Delivery of one message: picks the providers for the channel, records the send, and returns the
 * provider that accepted it (or the one whose answer never came: `unknown`), or throws
 * `provider_unavailable` (or `invalid_phone`) when none did.
 */
import { baseUrlRefusal } from '../integrations/base-url.js'
import { activeIntegrations, type ActiveIntegration } from '../integrations/integrations.js'
import type { Deps } from '../deps.js'
import { newTimedId } from '../crypto/random.js'
import { maskE164, parseLoose, phoneHash } from '../phone.js'
import { clientFor, mayHaveSent, refusesNumber, route } from '../providers/index.js'
import type { Attempt, ConfiguredProvider, RouteResult } from '../providers/router.js'
import type { OutboundMessage } from '../providers/types.js'
import { NotDelivered } from './failures.js'
import { callbackUrl } from './webhook-token.js'

export interface Delivered {
  /**
   * `unknown`: the provider did not answer in time and failover after a timeout is off for it;
   * the message may still arrive (docs/security.md, case T38), so the caller treats it as sent.
   */
  outcome: 'sent' | 'unknown'
  provider: string
  messageId: string | null
}

/**
 * Who to try, in order. `console` (development only) never fails, so it ends the list: providers
 * before it are tried first, providers after it are never reached.
 */
export interface Plan {
  providers: ConfiguredProvider[]
  console: boolean
}

export function planFor(deps: Deps, active: readonly ActiveIntegration[]): Plan {
  const development = deps.config.mode === 'development'
  // Nothing configured: the console provider is the development default; production has none.
  if (!active.length) return { providers: [], console: development }
  const providers: ConfiguredProvider[] = []
  for (const a of active) {
    if (a.name === 'console') {
      // Production never writes codes to the outbox, whatever the table says.
      if (development) return { providers, console: true }
      continue
    }
    const client = clientFor(a.name)
    if (client) providers.push({ ...a, client })
  }
  return { providers, console: false }
}

export async function deliver(
  deps: Deps,
  msg: OutboundMessage,
  verificationId: string | null,
): Promise<Delivered> {
  const result = await sendMessage(
    deps,
    msg,
    verificationId,
    planFor(deps, await activeIntegrations(deps)),
  )
  if (result.outcome === 'sent' || result.outcome === 'unknown') {
    const messageId = result.outcome === 'sent' ? result.messageId : null
    return { outcome: result.outcome, provider: result.provider, messageId }
  }
  const maybe = mayHaveSent(result)
  // A permanent refusal of the number itself (invalid, not a mobile, opted out: the reason the
  // provider's errors.ts gave) is the caller's to fix: `invalid_phone`, and trying again or
  // elsewhere would not help. Any other permanent refusal (credentials, account, sender) is ours:
  // the user sees `provider_unavailable`.
  if (result.outcome === 'rejected' && refusesNumber(result.attempts.at(-1)?.reason)) {
    throw new NotDelivered('invalid_phone', 'This number cannot receive messages from us.', maybe)
  }
  throw new NotDelivered(
    'provider_unavailable',
    msg.channel === 'voice'
      ? 'No provider could place the call. Try again later or ask for an SMS.'
      : 'No SMS provider could take the message. Try again later.',
    maybe,
  )
}

/**
 * Routes one message along `plan`, within the send budget, and records it in `messages`
 * (provider, its message id, status, error, attempts: never the code or the full number). A send
 * that may have reached someone without an answer (a timeout) is recorded `unknown` until a
 * receipt moves it (webhooks.ts). Never throws for a provider's answer.
 */
export async function sendMessage(
  deps: Deps,
  msg: OutboundMessage,
  verificationId: string | null,
  plan: Plan,
): Promise<RouteResult> {
  const now = deps.clock()
  const id = newTimedId('msg', now)
  const toHash = phoneHash(deps.keys, msg.to)
  const masked = maskE164(msg.to)
  const record = (
    provider: string | null,
    messageId: string | null,
    status: string,
    error: string | null,
    attempts: Attempt[],
  ) =>
    recordStatement(
      { id, verificationId, masked, toHash, msg, now },
      provider,
      messageId,
      status,
      error,
      attempts,
    )

  // An integration stored before the production rule on baseUrl (integrations/base-url.ts) gets no
  // request: it counts as a failed attempt, and the next provider is tried.
  const refused: Attempt[] = []
  const providers = plan.providers.filter((p) => {
    const why = p.baseUrl ? baseUrlRefusal(deps.config, p.baseUrl) : null
    if (why)
      refused.push({
        provider: p.name,
        status: 'failed',
        error: `${p.name}: baseUrl refused: ${why}`,
        reason: 'config',
        ms: 0,
      })
    return !why
  })
  const result: RouteResult = providers.length
    ? await route(providers, msg, {
        fetch: deps.fetch,
        timeoutMs: deps.config.providerTimeoutMs,
        budgetMs: deps.config.sendBudgetMs,
        statusCallbackUrl: (name) => callbackUrl(deps, name),
      })
    : { outcome: 'unavailable', attempts: [] }
  const routed: RouteResult = { ...result, attempts: [...refused, ...result.attempts] }

  if (routed.outcome === 'unavailable' && plan.console) {
    // The console provider: the message goes to the development outbox (never to the logs), in
    // one batch with its record.
    await deps.db.batch(
      [outboxStatement(msg, now), record('console', id, 'sent', null, routed.attempts)],
      'write',
    )
    deps.log('message.sent', { provider: 'console', channel: msg.channel, to: masked })
    const attempts: Attempt[] = [
      ...routed.attempts,
      { provider: 'console', status: 'sent', messageId: id, ms: 0 },
    ]
    return { outcome: 'sent', provider: 'console', messageId: id, attempts }
  }

  const tried = routed.attempts.map((a) => `${a.provider}:${a.status}`)
  if (routed.outcome === 'sent') {
    await deps.db.execute(record(routed.provider, routed.messageId, 'sent', null, routed.attempts))
    deps.log('message.sent', { provider: routed.provider, channel: msg.channel, to: masked, tried })
    return routed
  }
  // A timeout on the way: the message may still arrive, whatever came after (a receipt tells).
  const timedOut = routed.attempts.findLast((a) => a.status === 'timeout')
  const last = timedOut ?? routed.attempts.at(-1)
  const error = last?.error ?? 'no provider for this destination and channel'
  const status = timedOut ? 'unknown' : routed.outcome === 'rejected' ? 'rejected' : 'failed'
  await deps.db.execute(record(last?.provider ?? null, null, status, error, routed.attempts))
  // Client errors are already cleaned of credentials, codes and numbers (providers/http.ts).
  deps.log(`message.${status}`, {
    provider: last?.provider ?? null,
    channel: msg.channel,
    to: masked,
    tried,
    error,
  })
  return routed
}

interface RecordOf {
  id: string
  verificationId: string | null
  masked: string
  toHash: string
  msg: OutboundMessage
  now: number
}

/** The `messages` row of one send; with `ifChanged`, only if the statement before changed a row. */
function recordStatement(
  m: RecordOf,
  provider: string | null,
  messageId: string | null,
  status: string,
  error: string | null,
  attempts: Attempt[],
  ifChanged = false,
) {
  return {
    // The destination's country is for the Activity figures (migration 0014 counts from here).
    sql: `INSERT INTO messages (id, verification_id, to_masked, to_hash, channel, kind, provider,
            provider_message_id, status, error, attempts, created_at, updated_at, country)
          SELECT ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?${ifChanged ? ' WHERE changes() = 1' : ''}`,
    args: [
      m.id,
      m.verificationId,
      m.masked,
      m.toHash,
      m.msg.channel,
      m.msg.kind,
      provider,
      messageId,
      status,
      error,
      attempts.length ? JSON.stringify(attempts) : null,
      m.now,
      m.now,
      parseLoose(m.msg.to)?.country ?? 'ZZ',
    ],
  }
}

function outboxStatement(msg: OutboundMessage, now: number, ifChanged = false) {
  return {
    sql: `INSERT INTO dev_outbox (to_phone, channel, body, code, at) SELECT ?, ?, ?, ?, ?${ifChanged ? ' WHERE changes() = 1' : ''}`,
    args: [msg.to, msg.channel, msg.text, msg.code ?? null, now],
  }
}

/** A console delivery made ready for the caller's own write (see prepareConsoleDelivery). */
export interface PreparedConsole {
  /** The outbox row and its `messages` record, each written only if the statement before it changed a row. */
  statements: { sql: string; args: (string | number | null)[] }[]
  /** To call once those statements are written: logs the send as deliver() would. */
  sent(): Delivered
}

/**
 * When the plan is the console provider alone (development with nothing else configured, which
 * never fails), the whole delivery is two INSERTs: they can go into the caller's batch, one write
 * instead of two. For any other plan, null: use deliver(), which calls the real providers first.
 */
export async function prepareConsoleDelivery(
  deps: Deps,
  msg: OutboundMessage,
  verificationId: string | null,
): Promise<PreparedConsole | null> {
  const plan = planFor(deps, await activeIntegrations(deps))
  if (plan.providers.length || !plan.console) return null
  const now = deps.clock()
  const id = newTimedId('msg', now)
  const toHash = phoneHash(deps.keys, msg.to)
  const masked = maskE164(msg.to)
  return {
    statements: [
      outboxStatement(msg, now, true),
      recordStatement(
        { id, verificationId, masked, toHash, msg, now },
        'console',
        id,
        'sent',
        null,
        [],
        true,
      ),
    ],
    sent() {
      deps.log('message.sent', { provider: 'console', channel: msg.channel, to: masked })
      return { outcome: 'sent', provider: 'console', messageId: id }
    },
  }
}
