// In your backend: trust an sms-auth event only once its signature verifies.
import { Webhook } from 'standardwebhooks'

export interface SmsAuthEvent {
  id: string
  type: string
  timestamp: string
  data: { userId: string; [field: string]: unknown }
}

/**
 * The event, if `body` (the raw request body, as received) is signed with `secret` (the
 * endpoint's `whsec_…`) and its timestamp is within 5 minutes; null otherwise. Deliveries come at
 * least once: skip an `id` you have already handled.
 */
export function verifyEvent(
  secret: string,
  body: string,
  headers: Record<string, string>,
): SmsAuthEvent | null {
  try {
    return new Webhook(secret).verify(body, headers) as SmsAuthEvent
  } catch {
    return null
  }
}
