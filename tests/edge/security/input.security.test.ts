/**
 * SECURITY.md §8 T01 and T02: hostile phone numbers and codes. A Twilio fake is the only provider,
 * so every message the edge sends is counted; nothing is mocked.
 */
import { describe, expect, it } from 'vitest'
import { phoneNo } from '../../helpers/app.js'
import { expectProblem } from '../../helpers/extra.js'
import {
  checkV,
  ip,
  MINUTE,
  startV,
  useApp,
  useTwilio,
  useTwilioIn,
  verificationRow,
} from './fixture.js'

const s = useApp()
const tw = useTwilio()

const E164 = '+919876543210'
const toDigits = (code: string, zero: number) =>
  [...code].map((d) => String.fromCodePoint(zero + Number(d))).join('')
const fullWidth = (code: string) => toDigits(code, 0xff10)
const arabicIndic = (code: string) => toDigits(code, 0x0660)

describe('T01 phone input', () => {
  // Every human spelling of one number, Unicode digits included, lands on the same E.164.
  const SPELLINGS: [string, string | undefined][] = [
    ['+91 98765-43210', undefined],
    ['(+91) 98765.43210', undefined],
    ['+91\u00a098765\u00a043210', undefined],
    ['+٩١٩٨٧٦٥٤٣٢١٠', undefined], // Arabic-Indic
    ['+۹۱۹۸۷۶۵۴۳۲۱۰', undefined], // Extended Arabic-Indic (Persian)
    ['+９１９８７６５４３２１０', undefined], // full-width
    ['919876543210', 'IN'], // no '+', the country given
    ['098765 43210', 'IN'], // national format with its trunk prefix
    ['00919876543210', 'IN'], // international prefix instead of '+'
    ['tel:+919876543210', undefined],
  ]

  it('T01 normalises every spelling of a number, Unicode digits included, to one E.164 (one provider call each)', async () => {
    const { t } = s
    await useTwilioIn(t, tw.fake)
    for (const [i, [phone, country]] of SPELLINGS.entries()) {
      t.clock.advance(10 * MINUTE + 1) // the number's message cap (5 per 10 min) stays out of it
      const before = tw.fake.requests.length
      const r = await t.call(
        'POST',
        '/v1/verifications',
        { purpose: 'register', phone, country },
        ip(i),
      )
      expect(r.status, `${JSON.stringify(phone)} ${r.text}`).toBe(201)
      expect(r.body.to).toBe('+91•••••••210')
      expect(tw.fake.requests.length - before).toBe(1)
      expect(tw.fake.messages.at(-1)!.to).toBe(E164)
      // The approval names the number it proved: the same E.164, whatever was typed.
      const ok = await checkV(t, r.body.id, tw.fake.lastCode())
      expect(ok.body.phone, ok.text).toBe(E164)
    }
  })

  // [what, body field value, country, expected code]
  const REFUSED: [string, unknown, string | undefined, string][] = [
    ['letters', 'call me maybe', undefined, 'invalid_phone'],
    ['a letter O for a zero', '+91 98765 4321O', undefined, 'invalid_phone'],
    ['a 3-digit number', '123', undefined, 'invalid_phone'],
    ['a 20-digit number', '+91987654321098765432', undefined, 'invalid_phone'],
    [
      'no + and no country (the default US does not fit)',
      '919876543210',
      undefined,
      'invalid_phone',
    ],
    ['a lone +', '+', undefined, 'invalid_phone'],
    ['a double +', '++919876543210', undefined, 'invalid_phone'],
    ['an embedded tab', '+91\t9876543210', undefined, 'invalid_phone'],
    ['an embedded newline', '+91\n9876543210', undefined, 'invalid_phone'],
    ['an embedded NUL', '+91 98765\u000043210', undefined, 'invalid_request'],
    ['a trailing NUL', `${E164}\u0000`, undefined, 'invalid_request'],
    ['an empty string', '', undefined, 'invalid_request'],
    ['a 65-character string', `+91${'9'.repeat(62)}`, undefined, 'invalid_request'],
    ['a JSON number', 919876543210, undefined, 'invalid_request'],
    ['an array', [E164], undefined, 'invalid_request'],
    ['an object', { e164: E164 }, undefined, 'invalid_request'],
    ['a boolean', true, undefined, 'invalid_request'],
    ['null', null, undefined, 'invalid_request'],
    ['a lower-case country', '9876543210', 'in', 'invalid_request'],
    ['a country name', '9876543210', 'India', 'invalid_request'],
  ]

  it('T01 refuses malformed numbers with a 4xx problem+json carrying a code, and calls no provider', async () => {
    const { t } = s
    await useTwilioIn(t, tw.fake)
    for (const [i, [what, phone, country, code]] of REFUSED.entries()) {
      const r = await t.call(
        'POST',
        '/v1/verifications',
        { purpose: 'register', phone, country },
        ip(i),
      )
      expect({ what, status: r.status, code: r.body?.code }).toEqual({ what, status: 400, code })
      expectProblem(r, 400, code)
    }
    expect(tw.fake.requests).toHaveLength(0)
    expect(Number((await t.db.execute('SELECT count(*) AS n FROM verifications')).rows[0]!.n)).toBe(
      0,
    )
    // The same input gives the same answer every time (deterministic normalisation).
    const again = await t.call('POST', '/v1/verifications', { purpose: 'register', phone: '123' })
    expectProblem(again, 400, 'invalid_phone')
  })

  it('T01 answers a 1 MB phone with 413 payload_too_large in well under 200 ms, and calls no provider', async () => {
    const { t } = s
    await useTwilioIn(t, tw.fake)
    for (const filler of ['9', 'x']) {
      const body = { purpose: 'register', phone: `+91${filler.repeat(1 << 20)}` }
      const started = performance.now()
      const r = await t.call('POST', '/v1/verifications', body)
      const elapsed = performance.now() - started
      expectProblem(r, 413, 'payload_too_large')
      expect(elapsed).toBeLessThan(200)
    }
    expect(tw.fake.requests).toHaveLength(0)
  })
})

describe('T02 code input', () => {
  async function oneVerification(n: number) {
    const { t } = s
    await useTwilioIn(t, tw.fake)
    const id = await startV(t, { purpose: 'register', phone: phoneNo(n) }, ip(n))
    return { id, code: tw.fake.lastCode()! }
  }

  it('T02 a malformed code that passes the schema is a wrong code and costs exactly one attempt', async () => {
    const { t } = s
    const a = await oneVerification(1)
    const b = await oneVerification(2)
    const malformed: [string, string[]][] = [
      [a.id, ['5', a.code.slice(0, 5), `${a.code}0`, ` ${a.code} `]],
      [
        b.id,
        [
          fullWidth(b.code),
          `${b.code}\n`,
          arabicIndic(b.code),
          `${b.code.slice(0, 3)} ${b.code.slice(3)}`,
        ],
      ],
    ]
    for (const [id, codes] of malformed) {
      for (const [i, code] of codes.entries()) {
        const r = await checkV(t, id, code)
        expectProblem(r, 400, 'invalid_code')
        expect(r.body.attemptsLeft).toBe(4 - i)
        expect((await verificationRow(t, id)).attempts).toBe(i + 1)
      }
    }
    // Only the exact ASCII digits verify, and each verification had one attempt left for them.
    expect((await checkV(t, a.id, a.code)).body.status).toBe('approved')
    expect((await checkV(t, b.id, b.code)).body.status).toBe('approved')
  })

  it('T02 a schema-invalid code is 400 invalid_request and costs no attempt; no input gives a 5xx', async () => {
    const { t } = s
    const { id, code } = await oneVerification(3)
    const invalid: unknown[] = [
      '',
      null,
      Number(code),
      [code],
      { code },
      true,
      `${code}\u0000`,
      '1'.repeat(10 * 1024),
      code.repeat(6), // 36 characters: over the schema's 32
    ]
    for (const value of invalid) {
      const r = await checkV(t, id, value)
      expect(r.status, JSON.stringify(value).slice(0, 40)).toBe(400)
      expectProblem(r, 400, 'invalid_request')
    }
    expectProblem(await t.call('POST', `/v1/verifications/${id}/check`, {}), 400, 'invalid_request')
    expectProblem(
      await t.call('POST', `/v1/verifications/${id}/check`, `{"code": "${code}"`),
      400,
      'invalid_request',
    )
    expect((await verificationRow(t, id)).attempts).toBe(0)
    expect((await checkV(t, id, code)).body.status).toBe('approved')
  })

  it('T02 a code with a leading zero ("0xxxxx") verifies as typed, and never without its zero', async () => {
    const { t } = s
    await useTwilioIn(t, tw.fake)
    // A code starts with 0 one time in ten: start verifications until one does (P(miss) < 1e-9).
    let found: { id: string; code: string } | undefined
    for (let n = 0; n < 200 && !found; n++) {
      if (n % 25 === 24) t.clock.advance(10 * MINUTE + 1) // the per-address start limit
      const id = await startV(t, { purpose: 'register', phone: phoneNo(100 + n) }, ip(n))
      const code = tw.fake.lastCode()!
      if (code.startsWith('0')) found = { id, code }
    }
    expect(found).toBeDefined()
    const { id, code } = found!
    expect(code).toMatch(/^0\d{5}$/)
    expectProblem(await checkV(t, id, Number(code)), 400, 'invalid_request')
    const stripped = await checkV(t, id, String(Number(code)))
    expectProblem(stripped, 400, 'invalid_code')
    expect((await verificationRow(t, id)).attempts).toBe(1)
    expect((await checkV(t, id, code)).body.status).toBe('approved')
  })
})
