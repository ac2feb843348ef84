/** Clickatell (docs/providers.md): SMS only, receipts at a URL holding our token. */
import type { ProviderDefinition } from '../types.js'
import { clickatell } from './client.js'
import { credentials } from './credentials.js'
import { classify } from './errors.js'
import { clickatellDestination, parseClickatellReceipt } from './receipts.js'

export const definition: ProviderDefinition = {
  title: 'Clickatell',
  client: clickatell,
  credentials,
  classify,
  receipts: {
    parse: parseClickatellReceipt,
    auth: { kind: 'url-token' },
    destination: clickatellDestination,
    portalHint: 'Paste it as the status callback URL of your integration in the Clickatell portal.',
  },
}

export { clickatell } from './client.js'
export { parseClickatellReceipt } from './receipts.js'
