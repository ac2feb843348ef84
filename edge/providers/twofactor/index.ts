/** 2Factor.in (docs/providers.md): Indian numbers, SMS and voice OTP; it sends no receipts. */
import type { ProviderDefinition } from '../types.js'
import { twofactor } from './client.js'
import { credentials } from './credentials.js'
import { classify } from './errors.js'

export const definition: ProviderDefinition = {
  title: '2Factor.in',
  client: twofactor,
  credentials,
  classify,
  receipts: null,
}

export { twofactor } from './client.js'
