/**
 * The locale of a request that carries none in its body: the first language of its
 * Accept-Language (by q, as Hono's `accepts` parses it) that sms-auth ships (shared/locales.ts),
 * by language (`hi-IN` → `hi`), else English. Security notices of a signed-in change
 * (docs/security.md) speak it; a verification's own texts (code, resend, the notices its approval
 * sends) speak the locale stored on its row instead.
 */
import type { Context } from 'hono'
import { accepts } from 'hono/accepts'
import { LOCALES, supportedLocale, type Locale } from '../../shared/locales.js'

export function requestLocale(c: Context): Locale {
  return accepts(c, {
    header: 'Accept-Language',
    supports: [...LOCALES],
    default: 'en',
    // Sorted by q already; the default match wants whole tags, this one a language.
    match: (langs, { default: fallback }) =>
      langs.map((l) => (l.q > 0 ? supportedLocale(l.type) : undefined)).find(Boolean) ?? fallback,
  }) as Locale
}
