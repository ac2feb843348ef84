/**
 * Message texts. A code SMS ends with the origin-bound one-time-code line `@host #code`
 * (WICG sms-one-time-codes: only the last line is parsed, one space between fields), so
 * WebOTP and Safari's autofill offer the code on the site's own host only.
 */
import type { Settings } from '../../shared/schemas.js'

export function codeText(settings: Settings, publicUrl: string, code: string): string {
  const host = new URL(publicUrl).hostname
  const first = settings.messageTemplate
    .replaceAll('{code}', code)
    .replaceAll('{site}', settings.siteName)
    .replace(/[\r\n]+/g, ' ')
    .trim()
  return `${first}\n@${host} #${code}`
}

/** What a voice call says: the digits one by one, twice, so they can be written down. */
export function voiceText(settings: Settings, code: string): string {
  const spaced = code.split('').join(', ')
  return `Your ${settings.siteName} code is: ${spaced}. Again: ${spaced}.`
}
