/** The otpauth:// URL of POST /v1/me/totp parses back to the site name and the account. */
import { Secret, TOTP, URI } from 'otpauth'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { testApp, type TestApp } from '../../helpers/app.js'
import { bearer, signUp } from '../../helpers/extra.js'

let t: TestApp
beforeEach(async () => {
  t = await testApp()
})
afterEach(() => t.close())

let n = 0
/** The set-up URL for an email account of a site named `siteName`. */
async function setupUrl(siteName: string, email = `totp${++n}@example.com`) {
  const s = await t.admin('PATCH', '/v1/admin/settings', { siteName })
  expect(s.status, s.text).toBe(200)
  const { session } = await signUp(t, email, 'correct horse battery staple')
  const r = await t.call('POST', '/v1/me/totp', undefined, bearer(session.accessToken))
  expect(r.status, r.text).toBe(200)
  return { email, secret: r.body.secret as string, url: r.body.otpauthUrl as string }
}

describe('POST /v1/me/totp otpauthUrl', () => {
  it.each(['Acme: Shop & Co', 'Shop:Co', '100% #1 ?Shop+ / Ünïcode = ok'])(
    'keeps the site name %j and the account apart',
    async (siteName) => {
      const { email, secret, url } = await setupUrl(siteName)
      const parsed = new URL(url)
      expect(parsed.protocol).toBe('otpauth:')
      expect(parsed.host).toBe('totp')
      expect(parsed.searchParams.get('issuer')).toBe(siteName)
      expect(parsed.searchParams.get('secret')).toBe(secret)
      expect(parsed.searchParams.get('period')).toBe('30')
      expect(parsed.searchParams.get('digits')).toBe('6')
      expect(parsed.searchParams.get('algorithm')).toBe('SHA1')
      // The label `Issuer:account`: exactly one colon, encoded or not, however an app splits it.
      const label = parsed.pathname.slice(1)
      expect(label.match(/:|%3a/gi)).toEqual([':'])
      const [issuerPart, accountPart] = label.split(':').map(decodeURIComponent)
      expect(decodeURIComponent(label).split(':')).toEqual([issuerPart, accountPart])
      expect(accountPart).toBe(email)
      expect(issuerPart).toBe(siteName.replace(/\s*:\s*/g, ' '))
      // Nothing of the site name leaks into the other parameters.
      expect([...parsed.searchParams.keys()].sort()).toEqual(
        ['algorithm', 'digits', 'issuer', 'period', 'secret'].sort(),
      )
      // An authenticator app's parser reads the same.
      const otp = URI.parse(url) as TOTP
      expect(otp).toBeInstanceOf(TOTP)
      expect(otp.issuer).toBe(siteName)
      expect(otp.label).toBe(email)
      expect(otp.secret.base32).toBe(secret)
      const code = new TOTP({ secret: Secret.fromBase32(secret) }).generate({
        timestamp: t.clock.now,
      })
      expect(otp.generate({ timestamp: t.clock.now })).toBe(code)
    },
  )

  it('keeps a plain site name as it is: Issuer:account and issuer=', async () => {
    const { email, url } = await setupUrl('Shop')
    expect(url.startsWith(`otpauth://totp/Shop:${encodeURIComponent(email)}?issuer=Shop&`)).toBe(
      true,
    )
  })
})
