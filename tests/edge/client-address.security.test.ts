/**
 * The client address every per-address limit counts under is not the client's to choose: only
 * the proxies SMS_AUTH_TRUST_PROXY names may speak for it in X-Forwarded-For, and IPv6 counts per
 * /64. Through the real API on a real database; the socket peer is what the runtime entry reports.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { compileTrust, resolveClientAddress } from '../../edge/http/client.js'
import { loadConfig } from '../../edge/config.js'
import { ADMIN_TOKEN, phoneNo, PUBLIC_URL, SECRET, testApp, type TestApp } from '../helpers/app.js'
import { expectProblem } from '../helpers/extra.js'

const GENERATED = { secret: SECRET, adminToken: ADMIN_TOKEN }
let t: TestApp | undefined
afterEach(() => t?.close())

/** A fresh edge with `trust` as SMS_AUTH_TRUST_PROXY and `socket` as the socket peer. */
async function edge(trust: string, socket = 'unknown'): Promise<TestApp> {
  t = await testApp({ env: { SMS_AUTH_TRUST_PROXY: trust }, socketAddress: socket })
  return t
}

let phones = 0
/** One start with this X-Forwarded-For (none when undefined), as a response for expectProblem. */
async function post(app: TestApp, forwarded?: string) {
  const headers: Record<string, string> = { 'content-type': 'application/json' }
  if (forwarded !== undefined) headers['x-forwarded-for'] = forwarded
  const res = await app.api.fetch(
    new Request(`${PUBLIC_URL}/v1/verifications`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ purpose: 'register', phone: phoneNo(500 + ++phones) }),
    }),
  )
  const text = await res.text()
  return { status: res.status, headers: res.headers, text, body: JSON.parse(text) }
}

/** Starts a verification; its status and the address it was counted under. */
async function startFrom(app: TestApp, forwarded?: string) {
  const r = await post(app, forwarded)
  if (r.status !== 201) return { status: r.status, code: r.body.code, address: undefined }
  const row = await app.db.execute({
    sql: 'SELECT client_address FROM verifications WHERE id = ?',
    args: [r.body.id],
  })
  return { status: r.status, code: undefined, address: String(row.rows[0]!.client_address) }
}

async function addressOf(app: TestApp, forwarded?: string): Promise<string | undefined> {
  const r = await startFrom(app, forwarded)
  expect(r.status).toBe(201)
  return r.address
}

describe('SMS_AUTH_TRUST_PROXY=1 (one proxy in front)', () => {
  it('takes the rightmost X-Forwarded-For entry: forged left entries are ignored', async () => {
    const app = await edge('1')
    expect(await addressOf(app, '203.0.113.7')).toBe('203.0.113.7')
    expect(await addressOf(app, '6.6.6.6, 203.0.113.7')).toBe('203.0.113.7')
    expect(await addressOf(app, '1.1.1.1,2.2.2.2 , 203.0.113.8')).toBe('203.0.113.8')
    expect(await addressOf(app, 'nonsense, ::1, 203.0.113.9')).toBe('203.0.113.9')
  })

  it('a client rotating forged left entries still hits the per-address start limit', async () => {
    const app = await edge('1')
    for (let i = 0; i < 30; i++) {
      expect((await startFrom(app, `198.18.0.${i}, 203.0.113.50`)).status).toBe(201)
    }
    const r = await startFrom(app, '198.18.1.1, 10.0.0.1, 203.0.113.50')
    expect(r).toMatchObject({ status: 429, code: 'rate_limited' })
    // Another client behind the same proxy is not limited.
    expect((await startFrom(app, '198.18.0.1, 203.0.113.51')).status).toBe(201)
  })

  it('falls back to the proxy itself when the entry it wrote is malformed', async () => {
    const app = await edge('1', '192.0.2.10')
    for (const bad of [
      '0x7f.1',
      '127.1',
      '2130706433',
      '010.0.0.1',
      'unknown',
      '',
      'a'.repeat(80),
    ]) {
      expect(await addressOf(app, `198.51.100.1, ${bad}`), bad).toBe('192.0.2.10')
    }
    expect(await addressOf(app)).toBe('192.0.2.10')
  })

  it('reads the address forms load balancers write: ports and brackets', async () => {
    const app = await edge('1', '192.0.2.10')
    expect(await addressOf(app, '198.51.100.1:50432')).toBe('198.51.100.1')
    expect(await addressOf(app, '[2001:db8:5:6::1]:443')).toBe('2001:db8:5:6::/64')
    expect(await addressOf(app, '[2001:db8:5:7::1]')).toBe('2001:db8:5:7::/64')
  })
})

describe('SMS_AUTH_TRUST_PROXY=<n> hops', () => {
  it('with 2, takes the second address from the right, the socket counting as the first', async () => {
    const app = await edge('2', '10.0.0.1')
    expect(await addressOf(app, 'forged, 6.6.6.6, 198.51.100.7, 10.0.0.2')).toBe('198.51.100.7')
    // Fewer entries than hops: the leftmost.
    expect(await addressOf(app, '198.51.100.8')).toBe('198.51.100.8')
    expect(await addressOf(app)).toBe('10.0.0.1')
  })

  it('with 0 or unset, X-Forwarded-For is never read', async () => {
    for (const trust of ['0', '']) {
      const app = await edge(trust, '::ffff:192.0.2.33')
      expect(await addressOf(app, '198.51.100.7')).toBe('192.0.2.33')
      app.close()
      t = undefined
    }
  })
})

describe('SMS_AUTH_TRUST_PROXY=<list of CIDRs>', () => {
  const LIST = '10.0.0.0/8, 2001:db8:ffff::/48, 192.0.2.10'

  it('walks from the right past trusted proxies to the first untrusted address', async () => {
    const app = await edge(LIST, '10.0.0.1')
    expect(await addressOf(app, 'forged, 198.51.100.8, 10.1.2.3, 192.0.2.10')).toBe('198.51.100.8')
    expect(await addressOf(app, '6.6.6.6, 2001:db8:1:2::99, 2001:db8:ffff::7')).toBe(
      '2001:db8:1:2::/64',
    )
    // Every entry trusted: the leftmost.
    expect(await addressOf(app, '10.9.9.9, 10.0.0.2')).toBe('10.9.9.9')
    // A malformed entry stops the walk at the trusted proxy that forwarded it.
    expect(await addressOf(app, '198.51.100.1, garbage, 10.0.0.2')).toBe('10.0.0.2')
  })

  it('reads X-Forwarded-For only when the socket peer is a trusted proxy', async () => {
    const untrusted = await edge(LIST, '192.0.2.99')
    expect(await addressOf(untrusted, '198.51.100.9')).toBe('192.0.2.99')
    untrusted.close()
    const v6 = await edge(LIST, '2001:db8:ffff:1::5')
    expect(await addressOf(v6, '198.51.100.9')).toBe('198.51.100.9')
    v6.close()
    // A dual-stack socket reports IPv4 peers as IPv4-mapped IPv6: it matches the IPv4 range.
    const mapped = await edge(LIST, '::ffff:10.2.3.4')
    expect(await addressOf(mapped, '198.51.100.10')).toBe('198.51.100.10')
    mapped.close()
    const outside = await edge(LIST, '2001:db8:fffe::1')
    expect(await addressOf(outside, '198.51.100.9')).toBe('2001:db8:fffe::/64')
  })
})

describe('IPv6 counts per /64', () => {
  it('a client rotating within one /64 hits the start limit exactly as one IPv4 address does', async () => {
    const app = await edge('1')
    // One IPv4 address: 30 starts per 10 minutes, then 429.
    for (let i = 0; i < 30; i++) expect((await startFrom(app, '198.51.100.200')).status).toBe(201)
    expectProblem(await post(app, '198.51.100.200'), 429, 'rate_limited')
    // One /64, a new interface id each time (RFC 8981 temporary addresses): the same.
    for (let i = 0; i < 30; i++) {
      const iid = [i + 1, 0xabcd, i * 7, 0xffff - i].map((n) => n.toString(16)).join(':')
      const r = await startFrom(app, `2001:db8:aaaa:1:${iid}`)
      expect(r).toMatchObject({ status: 201, address: '2001:db8:aaaa:1::/64' })
    }
    expectProblem(await post(app, '2001:db8:aaaa:1:ffff:ffff:ffff:ffff'), 429, 'rate_limited')
    expectProblem(await post(app, '2001:DB8:AAAA:0001::1'), 429, 'rate_limited')
    // The next /64 is someone else.
    expect(await addressOf(app, '2001:db8:aaaa:2::1')).toBe('2001:db8:aaaa:2::/64')
  })

  it('an IPv4-mapped address counts with its IPv4 form', async () => {
    const app = await edge('1')
    for (let i = 0; i < 10; i++) expect(await addressOf(app, '192.0.2.200')).toBe('192.0.2.200')
    for (let i = 0; i < 10; i++) {
      expect(await addressOf(app, '::ffff:192.0.2.200')).toBe('192.0.2.200')
    }
    for (let i = 0; i < 10; i++) expect(await addressOf(app, '::ffff:c000:2c8')).toBe('192.0.2.200')
    expectProblem(await post(app, '192.0.2.200'), 429, 'rate_limited')
    expectProblem(await post(app, '::ffff:192.0.2.200'), 429, 'rate_limited')
  })
})

describe('resolveClientAddress', () => {
  it.each<[string, string, string | undefined, string]>([
    ['0', '2001:db8:1:2:3:4:5:6', '198.51.100.1', '2001:db8:1:2::/64'],
    ['0', 'not an address', undefined, 'unknown'],
    ['1', 'unknown', undefined, 'unknown'],
    ['1', '10.0.0.1', 'fe80::1%eth0', 'fe80::/64'],
    ['1', '10.0.0.1', '2001:db8::', '2001:db8::/64'],
    ['1', '10.0.0.1', '2001:0:0:1:2::', '2001:0:0:1::/64'],
    ['1', '10.0.0.1', '[198.51.100.1]', '10.0.0.1'],
    ['1', '10.0.0.1', '198.51.100.1:99999999', '10.0.0.1'],
    // Hop 3 wrote garbage: hop 2's address, the proxy that forwarded it.
    ['3', '10.0.0.1', 'a, b, 198.51.100.1, 10.0.0.2', '198.51.100.1'],
    ['3', '10.0.0.1', 'a, 198.51.100.2, 198.51.100.1, 10.0.0.2', '198.51.100.2'],
    ['::ffff:10.0.0.0/104', '10.0.0.1', '198.51.100.3', '198.51.100.3'],
  ])('trust %s, socket %s, X-Forwarded-For %s → %s', (trust, socket, forwarded, expected) => {
    const config = loadConfig({ SMS_AUTH_SECRET: SECRET, SMS_AUTH_TRUST_PROXY: trust }, GENERATED)
    expect(resolveClientAddress(compileTrust(config.trustProxy), socket, forwarded)).toBe(expected)
  })
})
