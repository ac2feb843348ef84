/**
 * Where a receipt says the message went, for the providers whose receipts name it: Twilio's `To`
 * (E.164, providers.md §4.3) and Clickatell's `to` (international digits, §1.6). Smstools documents
 * no payload, and 2Factor.in sends no receipts. Read from a copy of the request once its parser
 * has authenticated it; used only to match a receipt to a send whose answer never came.
 */
import { E164, digitsOf, isRecord, str } from './http.js'
import type { ProviderName, ReceiptDestination } from './types.js'

const asE164 = (value: string | undefined): string | undefined => {
  const e164 = value ? `+${digitsOf(value)}` : ''
  return E164.test(e164) ? e164 : undefined
}

export const receiptDestinations: Readonly<Partial<Record<ProviderName, ReceiptDestination>>> = {
  twilio: async (request) => asE164(new URLSearchParams(await request.text()).get('To') ?? ''),
  clickatell: async (request) => {
    try {
      const body = JSON.parse(await request.text()) as unknown
      return isRecord(body) ? asE164(str(body.to)) : undefined
    } catch {
      return undefined
    }
  },
}
