/**
 * Every provider, by name: adding one is a folder `edge/providers/<name>/` and one line here
 * (docs/providers.md, "How to add a provider"). The key is the name in the API's paths and in the
 * database; the order is the order of `GET /v1/admin/integrations`, after `console`.
 * tests/providers/registry.test.ts fails when a provider here lacks any part.
 */
import { definition as clickatell } from './clickatell/index.js'
import { definition as smstools } from './smstools/index.js'
import { definition as twilio } from './twilio/index.js'
import { definition as twofactor } from './twofactor/index.js'
import type { ProviderDefinition } from './types.js'

export const registry = {
  twilio,
  clickatell,
  twofactor,
  smstools,
} as const satisfies Record<string, ProviderDefinition>

export type ClientName = keyof typeof registry
/**
 * `console` is no provider folder: in development it writes to the outbox (messages/deliver.ts),
 * and production refuses it.
 */
export type ProviderName = 'console' | ClientName

export const CLIENT_NAMES = Object.keys(registry) as ClientName[]

export function isClientName(name: string): name is ClientName {
  return Object.hasOwn(registry, name)
}

export function definitionOf(name: string): ProviderDefinition | undefined {
  return isClientName(name) ? registry[name] : undefined
}
