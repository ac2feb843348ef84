/**
 * Delivery of one message: picks the providers for the channel, records the send, and returns the
 * provider that accepted it, or throws `provider_unavailable` (or `invalid_phone`) when none did.
 */
import { baseUrlRefusal } from '../admin/base-url.js'
import { activeIntegrations, type ActiveIntegration } from '../admin/integrations.js'
import type { Deps } from '../deps.js'
import { newId } from '../crypto/random.js'
import { ApiError } from '../http/errors.js'
import { maskE164, phoneHash } from '../phone.js'
import { clientFor, route } from '../providers/index.js'
import type { Attempt, ConfiguredProvider, RouteResult } from '../providers/router.js'
import type { OutboundMessage } from '../providers/types.js'
import { callbackUrl } from './webhook-token.js'

/** Per provider call (issue 3: a timeout on every call, default 5 s). */
export const DELIVERY_TIMEOUT_MS = 5000

export interface Delivered {
  provider: string
  messageId: string
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
  if (result.outcome === 'sent') return { provider: result.provider, messageId: result.messageId }
  // A permanent refusal of the number itself (invalid, not a mobile, opted out) is the caller's
  // to fix: `invalid_phone`, and trying again or elsewhere would not help. Any other permanent
  // refusal (credentials, account, sender) is ours: the user sees `provider_unavailable`.
  if (result.outcome === 'rejected' && numberRejected(result.attempts.at(-1)?.error)) {
    throw new ApiError('invalid_phone', 'This number cannot receive messages from us.')
  }
  throw new ApiError(
    'provider_unavailable',
    msg.channel === 'voice'
      ? 'No provider could place the call. Try again later or ask for an SMS.'
      : 'No SMS provider could take the message. Try again later.',
  )
}

/**
 * The clients' documented codes and texts for "this destination cannot take messages" (see
 * shared/providers.md §1.5, §2.6, §3.4, §4.1): Twilio 21211 invalid To, 21610 opted out, 21612
 * unroutable, 21614 not a mobile, 13223/13224 invalid number for calls; Clickatell 25/26 and its
 * in-200 "Invalid recipient address"; Smstools 103/106/131; 2Factor.in invalid number and DND.
 */
const NUMBER_REJECTIONS = [
  /^twilio (?:21211|21610|21612|21614|13223|13224)\b/,
  /^clickatell (?:25|26)\b/,
  /^clickatell: invalid recipient/i,
  /^smstools (?:103|106|131)\b/,
  /^twofactor: (?:invalid phone number|number is in dnd)/i,
]

export function numberRejected(error: string | undefined): boolean {
  return error !== undefined && NUMBER_REJECTIONS.some((re) => re.test(error))
}

/**
 * Routes one message along `plan` and records it in `messages` (provider, its message id, status,
 * error, attempts: never the code or the full number). Never throws for a provider's answer.
 */
export async function sendMessage(
  deps: Deps,
  msg: OutboundMessage,
  verificationId: string | null,
  plan: Plan,
): Promise<RouteResult> {
  const now = deps.clock()
  const id = newId('msg')
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

  // An integration stored before the production rule on baseUrl (admin/base-url.ts) gets no
  // request: it counts as a failed attempt, and the next provider is tried.
  const refused: Attempt[] = []
  const providers = plan.providers.filter((p) => {
    const why = p.baseUrl ? baseUrlRefusal(deps.config, p.baseUrl) : null
    if (why)
      refused.push({
        provider: p.name,
        status: 'failed',
        error: `${p.name}: baseUrl refused: ${why}`,
        ms: 0,
      })
    return !why
  })
  const result: RouteResult = providers.length
    ? await route(providers, msg, {
        fetch: deps.fetch,
        timeoutMs: DELIVERY_TIMEOUT_MS,
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
  const last = routed.attempts.at(-1)
  const error = last?.error ?? 'no provider for this destination and channel'
  const status = routed.outcome === 'rejected' ? 'rejected' : 'failed'
  await deps.db.execute(record(last?.provider ?? null, null, status, error, routed.attempts))
  // Client errors are already cleaned of credentials, codes and numbers (providers/http.ts).
  deps.log(`message.${routed.outcome}`, {
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
    sql: `INSERT INTO messages (id, verification_id, to_masked, to_hash, channel, kind, provider,
            provider_message_id, status, error, attempts, created_at, updated_at)
          SELECT ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?${ifChanged ? ' WHERE changes() = 1' : ''}`,
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
  const id = newId('msg')
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
      return { provider: 'console', messageId: id }
    },
  }
}
