/** Smstools (docs/providers.md): SMS and voice, receipts at a URL holding our token. */
import type { ProviderDefinition } from '../types.js'
import { smstools } from './client.js'
import { credentials } from './credentials.js'
import { classify } from './errors.js'
import { parseSmstoolsReceipt } from './receipts.js'

export const definition: ProviderDefinition = {
  title: 'Smstools',
  client: smstools,
  credentials,
  classify,
  receipts: {
    parse: parseSmstoolsReceipt,
    auth: { kind: 'url-token' },
    portalHint: 'Register it as a POST webhook for delivery_report in your Smstools account.',
  },
}

export { smstools } from './client.js'
export { parseSmstoolsReceipt } from './receipts.js'
