/** The provider clients by name, their receipt parsers, and the router. */
import { clickatell, parseClickatellReceipt } from './clickatell.js'
import { smstools, parseSmstoolsReceipt } from './smstools.js'
import { twilio, parseTwilioReceipt } from './twilio.js'
import { twofactor } from './twofactor.js'
import type { ProviderClient, ReceiptParser } from './types.js'

export type ClientName = ProviderClient['name']

export const clients: Readonly<Record<ClientName, ProviderClient>> = {
  twilio,
  clickatell,
  twofactor,
  smstools,
}

/** `POST /v1/webhooks/{provider}`: 2Factor.in documents no delivery receipts. */
export const receiptParsers: Readonly<Partial<Record<ClientName, ReceiptParser>>> = {
  twilio: parseTwilioReceipt,
  clickatell: parseClickatellReceipt,
  smstools: parseSmstoolsReceipt,
}

export function clientFor(name: string): ProviderClient | undefined {
  return Object.hasOwn(clients, name) ? clients[name as ClientName] : undefined
}

export { clickatell, smstools, twilio, twofactor }
export { parseClickatellReceipt, parseSmstoolsReceipt, parseTwilioReceipt }
export { twilioSignature, verifyTwilioSignature } from './twilio.js'
export { receiptDestinations } from './destinations.js'
export { DEFAULT_BUDGET_MS, eligibleProviders, mayHaveSent, route } from './router.js'
export type { Attempt, ConfiguredProvider, RouteOptions, RouteResult } from './router.js'
export { DEFAULT_TIMEOUT_MS } from './http.js'
export type * from './types.js'
