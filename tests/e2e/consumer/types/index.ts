// A plain TypeScript project (NodeNext resolution, skipLibCheck off) using every entry of the
// package. The @ts-expect-error lines make the types assert something: were a type `any`, the
// directive would be unused and tsc would fail.
import 'sms-auth/widget/define'
import type {} from 'sms-auth/vue'
import type { SignedInDetail, SmsLogin } from 'sms-auth/widget'
import { getAccessToken, getSession, onSessionChange, type Session } from 'sms-auth/client'
import { verifyAccessToken, type AccessTokenClaims } from 'sms-auth/server'
import { createSmsAuth } from 'sms-auth/edge'
import { ERRORS, type ErrorCode } from 'sms-auth/shared'

const login: SmsLogin | null = document.querySelector('sms-login')
login?.addEventListener('sms-auth-login', (e) => {
  const detail: SignedInDetail = e.detail
  console.log(detail.user.name, detail.session.accessToken)
  // @ts-expect-error: a signed-in detail has no such field
  console.log(e.detail.nope)
})
document.querySelector('phone-verify')?.addEventListener('sms-auth-phone-verified', (e) => {
  const phone: string = e.detail.phone
  console.log(phone)
})
document.addEventListener('sms-auth-session', (e) => {
  const reason: 'start' | 'refresh' | 'end' = e.detail.reason
  console.log(reason, e.detail.session?.user.name)
})
// @ts-expect-error: mode is 'auto' | 'login' | 'register'
if (login) login.mode = 'sideways'

const session: Session | null = getSession()
const off: () => void = onSessionChange((c) => console.log(c.reason))
off()
const token: string | null = await getAccessToken()
console.log(session?.user.name, token)

export async function check(t: string): Promise<AccessTokenClaims> {
  const claims = await verifyAccessToken(t, {
    jwksUrl: 'https://shop.example/.well-known/jwks.json',
    issuer: 'https://shop.example',
  })
  const factors: string[] = claims.amr
  const verified: boolean = claims.phone_verified
  console.log(factors, verified, claims.sub, claims.auth_time)
  return claims
}

export const create: typeof createSmsAuth = createSmsAuth
const code: ErrorCode = 'invalid_code'
console.log(ERRORS[code])
// @ts-expect-error: not an error code of the API
export const wrong: ErrorCode = 'no_such_code'
