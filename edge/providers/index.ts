/** The providers by name (registry.ts), their parts, and the router. */
import { definitionOf, registry, type ClientName } from './registry.js'
import type { ProviderClient, ReceiptSupport } from './types.js'

export const clients = Object.fromEntries(
  Object.entries(registry).map(([name, d]) => [name, d.client]),
) as Readonly<Record<ClientName, ProviderClient>>

export function clientFor(name: string): ProviderClient | undefined {
  return definitionOf(name)?.client
}

/** How `name` posts delivery receipts; undefined: it sends none (or there is no such provider). */
export function receiptsOf(name: string): ReceiptSupport | undefined {
  return definitionOf(name)?.receipts ?? undefined
}

export { clickatell, parseClickatellReceipt } from './clickatell/index.js'
export { parseSmstoolsReceipt, smstools } from './smstools/index.js'
export {
  parseTwilioReceipt,
  twilio,
  twilioSignature,
  verifyTwilioSignature,
} from './twilio/index.js'
export { twofactor } from './twofactor/index.js'
export { CLIENT_NAMES, definitionOf, isClientName, registry } from './registry.js'
export type { ClientName, ProviderName } from './registry.js'
export { fieldsOf, type CredentialField } from './fields.js'
export { refusesNumber } from './reasons.js'
export { DEFAULT_BUDGET_MS, eligibleProviders, mayHaveSent, route } from './router.js'
export type { Attempt, ConfiguredProvider, RouteOptions, RouteResult } from './router.js'
export { DEFAULT_TIMEOUT_MS } from './http.js'
export type * from './types.js'
