/**
 * In production a provider's baseUrl must be a public https origin: whoever holds the admin token
 * must not be able to aim a provider's credentials, codes and numbers at this host, the cloud
 * metadata endpoint or the private network. Refused at PUT, and for an integration stored before
 * the rule, at test sends and real sends, before any outbound request.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { TWILIO_CREDENTIALS } from '../../fakes/twilio.js'
import { phoneNo, testApp, type TestApp } from '../../helpers/app.js'
import { expectProblem } from '../../helpers/extra.js'

const PRODUCTION = { SMS_AUTH_MODE: 'production' }

/** Every outbound request the edge makes; each answered 503 so nothing is ever "sent". */
let outbound: string[] = []
const recordingFetch: typeof fetch = async (input) => {
  outbound.push(input instanceof Request ? input.url : String(input))
  return new Response('{"message":"unavailable"}', { status: 503 })
}

/** Apps that opened their own database, to close after each test. */
const owners: TestApp[] = []
async function app(env: Record<string, string>, db?: TestApp['db']): Promise<TestApp> {
  const t = await testApp({ env, fetch: recordingFetch, db })
  // An app on another's database holds nothing else (no timers, no sockets): its owner closes it.
  if (!db) owners.push(t)
  return t
}

beforeEach(() => {
  outbound = []
})
afterEach(() => {
  for (const t of owners.splice(0)) t.close()
})

function put(t: TestApp, baseUrl: string | null, enabled = true) {
  return t.admin('PUT', '/v1/admin/integrations/twilio', {
    enabled,
    priority: 1,
    credentials: TWILIO_CREDENTIALS,
    baseUrl,
  })
}

const REFUSED: [string, string][] = [
  ['plain http', 'http://api.twilio.com'],
  ['a dotted quad', 'https://93.184.216.34'],
  ['loopback', 'https://127.0.0.1'],
  ['a decimal IPv4', 'https://2130706433'],
  ['a hex IPv4', 'https://0x7f.1'],
  ['an octal-ish IPv4', 'https://0177.0.0.1'],
  ['a short IPv4', 'https://127.1'],
  ['0', 'https://0'],
  ['an IPv4 with a trailing dot', 'https://127.0.0.1.'],
  ['IPv6 loopback', 'https://[::1]'],
  ['IPv4-mapped IPv6', 'https://[::ffff:127.0.0.1]'],
  ['a unique-local IPv6', 'https://[fd00::1]'],
  ['a public IPv6', 'https://[2606:4700::1111]'],
  ['link-local (cloud metadata)', 'https://169.254.169.254'],
  ['a 10.x address with a port', 'https://10.0.0.1:8443'],
  ['a 192.168.x address', 'https://192.168.1.1'],
  ['localhost', 'https://localhost'],
  ['localhost with a trailing dot', 'https://localhost.'],
  ['LOCALHOST', 'https://LOCALHOST'],
  ['a percent-encoded localhost', 'https://%6c%6fcalhost'],
  ['a full-width localhost', 'https://ｌｏｃａｌｈｏｓｔ'],
  ['a *.localhost name', 'https://api.localhost'],
  ['a single-label name', 'https://metadata'],
  ['a single-label name with a port', 'https://intranet:8443'],
  ['a *.local name', 'https://printer.local'],
  ['a *.internal name', 'https://metadata.google.internal'],
  ['a *.home.arpa name', 'https://router.home.arpa'],
  ['an empty label', 'https://api..twilio.com'],
]

describe('PUT /v1/admin/integrations/{provider} in production', () => {
  it.each(REFUSED)('refuses %s (%s) on baseUrl, stores nothing, calls nobody', async (_, url) => {
    const t = await app(PRODUCTION)
    const r = await put(t, url)
    expectProblem(r, 400, 'invalid_request')
    expect(r.body.errors.map((e: { path: string }) => e.path)).toEqual(['baseUrl'])
    const stored = await t.db.execute('SELECT count(*) AS n FROM integrations')
    expect(Number(stored.rows[0]!.n)).toBe(0)
    expect(outbound).toEqual([])
  })

  it.each([
    'https://api.twilio.com',
    'https://api.twilio.com.',
    'https://sms-gateway.example.com:8443',
    'https://eu1.api.provider.co.uk',
  ])('takes the public https origin %s', async (url) => {
    const t = await app(PRODUCTION)
    const r = await put(t, url)
    expect(r.status, r.text).toBe(200)
    expect(r.body.baseUrl).toBe(new URL(url).origin)
  })

  it('takes private origins with SMS_AUTH_ALLOW_PRIVATE_BASE_URLS=1, and in development', async () => {
    const lifted = await app({ ...PRODUCTION, SMS_AUTH_ALLOW_PRIVATE_BASE_URLS: '1' })
    expect((await put(lifted, 'http://127.0.0.1:9')).status).toBe(200)
    expect((await put(lifted, 'https://gateway.internal')).status).toBe(200)
    const development = await app({})
    expect((await put(development, 'http://localhost:9')).status).toBe(200)
  })
})

describe('an integration stored before the rule', () => {
  /** A production edge on a database where twilio was saved with `baseUrl` (in development). */
  async function storedBefore(baseUrl: string): Promise<TestApp> {
    const before = await app({})
    expect((await put(before, baseUrl)).status).toBe(200)
    return app(PRODUCTION, before.db)
  }

  it('is refused by the test route before any request', async () => {
    const t = await storedBefore('http://169.254.169.254')
    const r = await t.admin('POST', '/v1/admin/integrations/twilio/test', { phone: phoneNo(1) })
    expectProblem(r, 400, 'invalid_request')
    expect(r.body.errors.map((e: { path: string }) => e.path)).toEqual(['baseUrl'])
    expect(outbound).toEqual([])
  })

  it('gets no request on a real send: the message is refused as unavailable', async () => {
    const t = await storedBefore('https://[::1]:8443')
    // Production sends only to listed countries (the default country until some are listed).
    await t.admin('PATCH', '/v1/admin/settings', { allowedCountries: ['IN'] })
    const r = await t.call('POST', '/v1/verifications', { purpose: 'register', phone: phoneNo(2) })
    expectProblem(r, 503, 'provider_unavailable')
    expect(outbound).toEqual([])
    const [row] = (await t.db.execute('SELECT status, error FROM messages')).rows
    expect(row).toMatchObject({ status: 'failed', error: expect.stringContaining('baseUrl') })
  })

  it('can be switched off, but not back on until its baseUrl is fixed', async () => {
    const t = await storedBefore('https://localhost')
    const on = await t.admin('PUT', '/v1/admin/integrations/twilio', { enabled: true })
    expectProblem(on, 400, 'invalid_request')
    const off = await t.admin('PUT', '/v1/admin/integrations/twilio', { enabled: false })
    expect(off.status, off.text).toBe(200)
    const fixed = await t.admin('PUT', '/v1/admin/integrations/twilio', {
      enabled: true,
      baseUrl: null,
    })
    expect(fixed.status, fixed.text).toBe(200)
    expect(outbound).toEqual([])
  })

  it('a public baseUrl is called as usual (the recorder sees real requests)', async () => {
    const t = await app(PRODUCTION)
    expect((await put(t, 'https://sms-gateway.example.com')).status).toBe(200)
    await t.admin('POST', '/v1/admin/integrations/twilio/test', { phone: phoneNo(3) })
    expect(outbound).toHaveLength(1)
    expect(outbound[0]).toMatch(/^https:\/\/sms-gateway\.example\.com\/2010-04-01\//)
  })
})
