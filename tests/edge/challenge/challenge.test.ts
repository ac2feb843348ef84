/**
 * The bot challenge (docs/security.md "The bot challenge"): its keys, the three modes, the checks
 * on a token (siteverify's verdict, hostname, action, score, single use) and failing closed when
 * siteverify is down, against a local siteverify fake over real HTTP.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { lastCode, phoneNo, registerByPhone, testApp, type TestApp } from '../../helpers/app.js'
import { SECRET_KEY, SITE_KEY, token } from '../../fakes/siteverify.js'
import { keyed, start, type Keyed } from './helpers.js'
import { SITEVERIFY_TIMEOUT_MS } from '../../../edge/limits/policy.js'
import { US_TEST } from '../test-numbers/helpers.js'

let k: Keyed | undefined
let plain: TestApp | undefined
afterEach(async () => {
  await k?.close()
  plain?.close()
  k = plain = undefined
})

describe('challenge keys (/v1/admin/challenge)', () => {
  it('is off by default: /v1/config says null and a start needs no token', async () => {
    plain = await testApp()
    const cfg = await plain.call('GET', '/v1/config')
    expect(cfg.body.challenge).toBeNull()
    expect((await start(plain, phoneNo(1))).status).toBe(201)
    const keys = await plain.admin('GET', '/v1/admin/challenge')
    expect(keys.body).toEqual({ secretKeySet: false, baseUrl: null, updatedAt: null })
  })

  it('refuses to turn the challenge on before its keys are set', async () => {
    plain = await testApp()
    const r = await plain.admin('PATCH', '/v1/admin/settings', { challengeMode: 'always' })
    expect(r.status).toBe(400)
    expect(r.body.code).toBe('invalid_request')
    expect(r.body.errors.map((e: { path: string }) => e.path).sort()).toEqual([
      'challengeMode',
      'challengeSiteKey',
    ])
    expect((await plain.admin('GET', '/v1/admin/settings')).body.challengeMode).toBe('off')
  })

  it('keeps the secret sealed and never returns it; and an anonymous caller reads nothing', async () => {
    k = await keyed('always')
    const r = await k.t.admin('GET', '/v1/admin/challenge')
    expect(r.body.secretKeySet).toBe(true)
    expect(r.body.baseUrl).toBe(k.fake.baseUrl)
    expect(r.text).not.toContain(SECRET_KEY)
    const row = await k.t.db.execute('SELECT secret_sealed FROM challenge_secret')
    expect(String(row.rows[0]!.secret_sealed)).not.toContain(SECRET_KEY)
    const anon = await k.t.call('GET', '/v1/admin/challenge')
    expect(anon.status).toBe(401)
    // The key cannot go while the challenge is on (every start would fail closed).
    const drop = await k.t.admin('PUT', '/v1/admin/challenge', { secretKey: null })
    expect(drop.status).toBe(400)
  })

  it('publishes provider, site key, mode and script URL in /v1/config', async () => {
    k = await keyed('adaptive', 'recaptcha')
    const cfg = await k.t.call('GET', '/v1/config')
    expect(cfg.body.challenge).toEqual({
      provider: 'recaptcha',
      siteKey: SITE_KEY,
      mode: 'adaptive',
      scriptUrl: `${k.fake.baseUrl}/recaptcha/api.js?render=${SITE_KEY}`,
    })
  })
})

describe('mode always', () => {
  it('asks every start for a token, verifies it with the secret and the address, once', async () => {
    k = await keyed('always')
    const none = await start(k.t, phoneNo(2))
    expect(none.status).toBe(403)
    expect(none.headers.get('content-type')).toContain('application/problem+json')
    expect(none.body.code).toBe('challenge_required')
    expect(k.fake.verifications()).toHaveLength(0)

    const tok = token()
    const ok = await start(k.t, phoneNo(2), { address: '198.51.100.4', challengeToken: tok })
    expect(ok.status, ok.text).toBe(201)
    const [sent] = k.fake.verifications()
    expect(sent!.get('secret')).toBe(SECRET_KEY)
    expect(sent!.get('response')).toBe(tok)
    expect(sent!.get('remoteip')).toBe('198.51.100.4')

    // Replay: the fake passes it again, our own guard does not.
    const again = await start(k.t, phoneNo(3), { challengeToken: tok })
    expect(again.status).toBe(403)
    expect(again.body.code).toBe('challenge_required')
    expect(again.body.detail).toMatch(/already used/)
    expect(k.t.logs.join('\n')).not.toContain(SECRET_KEY)
    expect(k.t.logs.join('\n')).not.toContain(tok)
  })

  it('never asks a listed test number, a reset by email, nor a resend', async () => {
    k = await keyed('always')
    const listed = await k.t.admin('POST', '/v1/admin/test-numbers', {
      phone: US_TEST,
      code: '424242',
    })
    expect(listed.status, listed.text).toBe(201)
    expect((await start(k.t, US_TEST)).status).toBe(201)
    const byEmail = await k.t.call('POST', '/v1/verifications', {
      purpose: 'password_reset',
      email: 'nobody@example.com',
    })
    expect(byEmail.status, byEmail.text).toBe(201)
    const v = await start(k.t, phoneNo(15), { challengeToken: token() })
    expect(v.status).toBe(201)
    k.t.clock.advance(31_000)
    const again = await k.t.call('POST', `/v1/verifications/${v.body.id}/resend`, {})
    expect(again.status, again.text).toBe(200)
    expect(k.fake.verifications()).toHaveLength(1)
  })

  it("asks a signed-in enrolment to a new number, not a code to the account's own number", async () => {
    k = await keyed('off')
    const { session } = await registerByPhone(k.t, phoneNo(16))
    const on = await k.t.admin('PATCH', '/v1/admin/settings', { challengeMode: 'always' })
    expect(on.status, on.text).toBe(200)
    const bearer = { authorization: `Bearer ${session.accessToken}` }
    const own = await k.t.call('POST', '/v1/verifications', { purpose: 'change_phone' }, bearer)
    expect(own.status, own.text).toBe(201)
    const code = await lastCode(k.t, phoneNo(16))
    const ok = await k.t.call('POST', `/v1/verifications/${own.body.id}/check`, { code }, bearer)
    expect(ok.status, ok.text).toBe(200)
    const other = await k.t.call(
      'POST',
      '/v1/verifications',
      { purpose: 'enroll', phone: phoneNo(17) },
      bearer,
    )
    expect(other.body.code).toBe('challenge_required')
    const body = { purpose: 'enroll', phone: phoneNo(17), challengeToken: token() }
    const passed = await k.t.call('POST', '/v1/verifications', body, bearer)
    expect(passed.status, passed.text).toBe(201)
  })

  it('lets exactly one of concurrent starts with one token through', async () => {
    k = await keyed('always')
    const tok = token()
    const rs = await Promise.all(
      [4, 5, 6, 7, 8].map((i) => start(k!.t, phoneNo(i), { challengeToken: tok })),
    )
    expect(rs.map((r) => r.status).sort()).toEqual([201, 403, 403, 403, 403])
  })

  it.each([
    ['a token siteverify refuses', 'not-a-token'],
    ['a token made on another host', token({ hostname: 'evil.example' })],
    ['a token made for another action', token({ action: 'login' })],
    ['a token for another site key', token({ sitekey: 'other' })],
  ])('refuses %s with challenge_required', async (_, tok) => {
    k = await keyed('always')
    const r = await start(k.t, phoneNo(9), { challengeToken: tok })
    expect(r.status).toBe(403)
    expect(r.body.code).toBe('challenge_required')
  })

  it('checks the score of reCAPTCHA v3 and the action of neither for hCaptcha', async () => {
    k = await keyed('always', 'recaptcha')
    expect((await start(k.t, phoneNo(10), { challengeToken: token({ score: 0.3 }) })).status).toBe(
      403,
    )
    expect((await start(k.t, phoneNo(10), { challengeToken: token({ score: 0.7 }) })).status).toBe(
      201,
    )
    await k.close()
    k = await keyed('always', 'hcaptcha')
    const r = await start(k.t, phoneNo(11), { challengeToken: token({ action: '' }) })
    expect(r.status, r.text).toBe(201)
    expect(k.fake.requests.at(-1)!.path).toBe('/siteverify')
  })

  it('accepts a token made on a host of allowedOrigins', async () => {
    k = await keyed('always')
    await k.t.admin('PATCH', '/v1/admin/settings', {
      allowedOrigins: ['https://shop.example.com', 'https://*.example.org'],
    })
    for (const hostname of ['shop.example.com', 'a.b.example.org']) {
      const r = await start(k.t, phoneNo(12), { challengeToken: token({ hostname }) })
      expect(r.status, `${hostname}: ${r.text}`).toBe(201)
      k.t.clock.advance(60_000)
    }
    const r = await start(k.t, phoneNo(13), { challengeToken: token({ hostname: 'example.org' }) })
    expect(r.status).toBe(403)
  })

  it('fails closed: siteverify down or our key refused → 503 challenge_unavailable, Retry-After', async () => {
    k = await keyed('always')
    k.fake.setMode('server-error')
    const down = await start(k.t, phoneNo(14), { challengeToken: token() })
    expect(down.status).toBe(503)
    expect(down.body.code).toBe('challenge_unavailable')
    expect(Number(down.headers.get('retry-after'))).toBeGreaterThanOrEqual(1)
    k.fake.setMode('bad-key')
    const bad = await start(k.t, phoneNo(14), { challengeToken: token() })
    expect(bad.status).toBe(503)
    expect(k.t.logs.join('\n')).toContain('challenge.misconfigured')
    // Nothing was sent for either.
    const sent = await k.t.db.execute('SELECT count(*) AS n FROM verifications')
    expect(Number(sent.rows[0]!.n)).toBe(0)
    await k.fake.close()
    const gone = await start(k.t, phoneNo(14), { challengeToken: token() })
    expect(gone.status).toBe(503)
    expect(gone.body.code).toBe('challenge_unavailable')
  })

  it('fails closed within the siteverify timeout when the provider hangs', async () => {
    k = await keyed('always')
    k.fake.setMode('hang')
    const t0 = Date.now()
    const r = await start(k.t, phoneNo(18), { challengeToken: token() })
    expect(r.status).toBe(503)
    expect(r.body.code).toBe('challenge_unavailable')
    expect(Date.now() - t0).toBeLessThan(SITEVERIFY_TIMEOUT_MS + 2000)
  }, 15_000)
})

describe('mode adaptive', () => {
  it('asks nothing of a start that shows no risk (siteverify never called)', async () => {
    k = await keyed('adaptive')
    // Down or not, the provider is not asked.
    k.fake.setMode('server-error')
    for (let i = 0; i < 3; i++) expect((await start(k.t, phoneNo(20 + i))).status).toBe(201)
    expect(k.fake.verifications()).toHaveLength(0)
  })

  it('asks an address that started to 3 distinct numbers within the hour', async () => {
    k = await keyed('adaptive')
    const address = '198.51.100.20'
    for (let i = 0; i < 3; i++)
      expect((await start(k.t, phoneNo(30 + i), { address })).status).toBe(201)
    const asked = await start(k.t, phoneNo(33), { address })
    expect(asked.status).toBe(403)
    expect(asked.body.code).toBe('challenge_required')
    expect(k.t.logs.join('\n')).toContain('"signal":"numbers_per_address"')
    const passed = await start(k.t, phoneNo(33), { address, challengeToken: token() })
    expect(passed.status, passed.text).toBe(201)
    // Another address is not asked; after the window the address is not either.
    expect((await start(k.t, phoneNo(34))).status).toBe(201)
    k.t.clock.advance(61 * 60_000)
    expect((await start(k.t, phoneNo(35), { address })).status).toBe(201)
  })

  it('asks an address that was refused by a limit', async () => {
    k = await keyed('adaptive')
    const phone = phoneNo(40)
    // Five codes to one number in 10 minutes from five addresses, the sixth is refused.
    for (let i = 0; i < 5; i++) expect((await start(k.t, phone)).status).toBe(201)
    const address = '198.51.100.40'
    expect((await start(k.t, phone, { address })).status).toBe(429)
    const asked = await start(k.t, phoneNo(41), { address })
    expect(asked.body.code).toBe('challenge_required')
    expect(k.t.logs.join('\n')).toContain('"signal":"refusals"')
  })

  it('asks for a number with 3 failed guesses', async () => {
    k = await keyed('adaptive')
    const phone = phoneNo(50)
    const v = await start(k.t, phone)
    for (let i = 0; i < 3; i++) {
      const c = await k.t.call('POST', `/v1/verifications/${v.body.id}/check`, { code: '000000' })
      expect(c.status).toBe(400)
    }
    const asked = await start(k.t, phone)
    expect(asked.body.code).toBe('challenge_required')
    expect(k.t.logs.join('\n')).toContain('"signal":"failures"')
  })

  it('asks for a prefix half way to a breaker trip', async () => {
    k = await keyed('adaptive')
    await k.t.admin('PATCH', '/v1/admin/settings', { breakerMinSends: 10 })
    const inPrefix = (i: number) => `+91988110${String(i).padStart(4, '0')}`
    for (let i = 0; i < 5; i++) {
      const r = await start(k.t, inPrefix(i))
      expect(r.status, r.text).toBe(201)
    }
    const asked = await start(k.t, inPrefix(5))
    expect(asked.body.code).toBe('challenge_required')
    expect(k.t.logs.join('\n')).toContain('"signal":"breaker_near"')
    // Another prefix is not asked.
    expect((await start(k.t, phoneNo(60))).status).toBe(201)
  })
})
