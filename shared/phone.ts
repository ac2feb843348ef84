/** Phone helpers shared by the edge and the widget (no metadata here: callers parse). */

/**
 * Masks an E.164 number for unauthenticated callers: the country calling code and the last three
 * digits stay, the rest becomes bullets, e.g. `+91•••••••210`.
 */
export function maskPhone(e164: string, callingCode?: string): string {
  const digits = e164.replace(/^\+/, '')
  const cc = callingCode && digits.startsWith(callingCode) ? callingCode : digits.slice(0, 1)
  const national = digits.slice(cc.length)
  if (national.length <= 3) return `+${cc}${'•'.repeat(national.length)}`
  return `+${cc}${'•'.repeat(national.length - 3)}${national.slice(-3)}`
}

/** The destination prefix used for SMS-pumping velocity limits: the number less its last 4 digits. */
export function destinationPrefix(e164: string): string {
  return e164.slice(0, Math.max(2, e164.length - 4))
}
