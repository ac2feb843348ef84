/**
 * Where each provider posts its delivery receipts. Twilio signs every callback
 * (`X-Twilio-Signature`, checked against the auth token), so its URL is plain. Clickatell and
 * Smstools sign nothing and are configured in their portals with a URL alone, so the URL carries
 * the secret: `/v1/webhooks/{provider}/{token}`.
 *
 * The token is derived, not stored: HMAC-SHA-256 under a key from SMS_AUTH_SECRET over
 * `webhook|<provider>`, 256 bits in base64url (NIST SP 800-63B-4 §3.2.12, docs/security.md: at
 * least 112 bits). So it is the same on every instance, needs no migration, and differs per
 * provider. Rotating SMS_AUTH_SECRET changes it: the admin view shows the new URL at once, and
 * while SMS_AUTH_SECRET_PREVIOUS (or _NEXT) is set the token of that secret is accepted too, so
 * the portal can be updated before the previous secret is dropped.
 */
import { acceptedKeys, constantTimeEqual, hmac, sha256Hex, type Keys } from '../crypto/keys.js'
import { base64url } from '../crypto/random.js'
import type { Config } from '../config.js'
import { receiptsOf } from '../providers/index.js'
import type { ProviderName } from '../providers/registry.js'

/** Longer than any token we issue; a longer path segment is not even hashed. */
const MAX_TOKEN = 128

/** Whether the provider's receipts are authenticated by the token in their URL (its index.ts). */
export function usesUrlToken(provider: ProviderName): boolean {
  return receiptsOf(provider)?.auth.kind === 'url-token'
}

export function webhookToken(keys: Pick<Keys, 'webhookHmac'>, provider: ProviderName): string {
  return base64url(hmac(keys.webhookHmac, `webhook|${provider}`))
}

/**
 * Which accepted secret's token `presented` is: `current`, `other` (a rotation's previous or next
 * secret), or null. Digests of equal length compare without an early exit, every one of them, so
 * timing says nothing of the token.
 */
export function webhookTokenMatch(
  keys: Keys,
  provider: ProviderName,
  presented: string | undefined,
): 'current' | 'other' | null {
  if (presented === undefined || presented.length > MAX_TOKEN) return null
  const given = sha256Hex(presented)
  let match: 'current' | 'other' | null = null
  for (const k of acceptedKeys(keys)) {
    const hit = constantTimeEqual(given, sha256Hex(webhookToken(k, provider)))
    if (hit && match === null) match = k === keys ? 'current' : 'other'
  }
  return match
}

/** The full receipt URL of a provider that sends receipts we read; undefined for the others. */
export function callbackUrl(
  deps: { config: Pick<Config, 'publicUrl'>; keys: Pick<Keys, 'webhookHmac'> },
  provider: ProviderName,
): string | undefined {
  if (!receiptsOf(provider)) return undefined
  const base = `${deps.config.publicUrl}/v1/webhooks/${provider}`
  return usesUrlToken(provider) ? `${base}/${webhookToken(deps.keys, provider)}` : base
}
