/** WebOTP (https://wicg.github.io/web-otp/): not in TypeScript's DOM library yet. */
interface OtpCredential extends Credential {
  code: string
}
type OtpRequest = CredentialRequestOptions & { otp: { transport: 'sms'[] } }

/**
 * Asks the browser for the code of an incoming SMS (Chrome on Android reads messages ending in
 * `@origin #code`). Resolves with the code, or undefined when unsupported, refused or aborted.
 */
export async function readOtp(signal: AbortSignal): Promise<string | undefined> {
  if (!('OTPCredential' in window) || !navigator.credentials) return undefined
  try {
    const request: OtpRequest = { otp: { transport: ['sms'] }, signal }
    const cred = (await navigator.credentials.get(request)) as OtpCredential | null
    return cred?.code || undefined
  } catch {
    return undefined
  }
}
