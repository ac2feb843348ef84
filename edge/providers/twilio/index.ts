/** Twilio (docs/providers.md): SMS and voice, signed status callbacks. */
import type { ProviderDefinition } from '../types.js'
import { twilio } from './client.js'
import { credentials } from './credentials.js'
import { classify } from './errors.js'
import { parseTwilioReceipt, twilioDestination } from './receipts.js'

export const definition: ProviderDefinition = {
  title: 'Twilio',
  client: twilio,
  credentials,
  classify,
  receipts: {
    parse: parseTwilioReceipt,
    auth: { kind: 'signature', key: 'authToken' },
    destination: twilioDestination,
  },
}

export { twilio, twiml } from './client.js'
export { parseTwilioReceipt } from './receipts.js'
export { twilioSignature, verifyTwilioSignature } from './signature.js'
