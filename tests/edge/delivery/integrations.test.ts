/** /v1/admin/integrations: configuration, validation, write-only credentials, test sends. */
import { describe, expect, it } from 'vitest'
import { TWILIO_CREDENTIALS } from '../../fakes/twilio.js'
import { SMSTOOLS_CREDENTIALS } from '../../fakes/smstools.js'
import { lastCode, phoneNo, PUBLIC_URL, testApp } from '../../helpers/app.js'
import { expectProblem, outbox } from '../../helpers/extra.js'
import {
  configure,
  CREDENTIALS,
  expectNoSecrets,
  received,
  SECRETS,
  useDelivery,
} from './fixture.js'

const s = useDelivery()
const PROVIDERS = ['console', 'twilio', 'clickatell', 'twofactor', 'smstools']

describe('GET /v1/admin/integrations', () => {
  it('lists every provider, unconfigured ones disabled', async () => {
    const r = await s.t.admin('GET', '/v1/admin/integrations')
    expect(r.status, r.text).toBe(200)
    expect(r.body.integrations.map((i: { provider: string }) => i.provider)).toEqual(PROVIDERS)
    for (const i of r.body.integrations) {
      expect(i).toMatchObject({ enabled: false, voice: false, baseUrl: null, credentials: null })
    }
    const twilio = r.body.integrations.find((i: { provider: string }) => i.provider === 'twilio')
    expect(twilio).toMatchObject({
      channels: ['sms', 'voice'],
      missing: ['accountSid', 'authToken', 'from'],
    })
  })

  it('describes each provider for the admin form: title, origin, and the fields of its schema', async () => {
    const r = await s.t.admin('GET', '/v1/admin/integrations')
    const byName = Object.fromEntries(
      r.body.integrations.map((i: { provider: string }) => [i.provider, i]),
    )
    expect(byName.twilio).toMatchObject({
      title: 'Twilio',
      origin: 'https://api.twilio.com',
      receiptsHelp: null,
      fields: [
        {
          key: 'accountSid',
          label: 'Account SID',
          type: 'text',
          required: true,
          secret: false,
          pattern: '^AC[0-9a-fA-F]{32}$',
        },
        { key: 'authToken', label: 'Auth token', type: 'password', required: true, secret: true },
        { key: 'from', label: 'From', type: 'text', required: true, secret: false },
      ],
    })
    expect(
      byName.clickatell.fields.map((f: { key: string; required: boolean }) => [f.key, f.required]),
    ).toEqual([
      ['apiKey', true],
      ['twoWayNumber', false],
    ])
    expect(byName.smstools.receiptsHelp).toMatch(/delivery_report/)
    expect(byName.console).toMatchObject({ origin: null, fields: [], receiptsHelp: null })
    // The fields say what the PUT accepts: the required ones alone are enough.
    const only = (await s.t.admin('GET', '/v1/admin/integrations/twofactor')).body
    const required = only.fields.filter((f: { required: boolean }) => f.required)
    const credentials = Object.fromEntries(
      required.map((f: { key: string }) => [f.key, 'k-1234567890']),
    )
    const put = await s.t.admin('PUT', '/v1/admin/integrations/twofactor', {
      enabled: false,
      credentials,
    })
    expect(put.status, put.text).toBe(200)
    expect(put.body.missing).toEqual([])
  })

  it('shows which credentials are set, masked, and never a secret', async () => {
    for (const name of ['twilio', 'clickatell', 'twofactor', 'smstools'] as const) {
      await configure(s, name, { priority: 3, voice: name !== 'clickatell' })
    }
    const r = await s.t.admin('GET', '/v1/admin/integrations')
    expectNoSecrets(r.text)
    const twilio = r.body.integrations.find((i: { provider: string }) => i.provider === 'twilio')
    expect(twilio).toMatchObject({
      enabled: true,
      priority: 3,
      voice: true,
      baseUrl: s.fakes.twilio.baseUrl,
      missing: [],
      credentials: { accountSid: '••••cdef', authToken: '••••1c2e', from: '••••2661' },
    })
    const smstools = r.body.integrations.find(
      (i: { provider: string }) => i.provider === 'smstools',
    )
    expect(Object.keys(smstools.credentials).sort()).toEqual(['clientId', 'clientSecret', 'sender'])
    for (const value of Object.values(smstools.credentials)) expect(value).toMatch(/^••••/)
  })

  it('shows where each provider posts its receipts, on the public URL', async () => {
    const r = await s.t.admin('GET', '/v1/admin/integrations')
    const url = Object.fromEntries(
      r.body.integrations.map((i: { provider: string; callbackUrl: string | null }) => [
        i.provider,
        i.callbackUrl,
      ]),
    )
    expect(url).toEqual({
      console: null,
      twofactor: null,
      twilio: `${PUBLIC_URL}/v1/webhooks/twilio`,
      clickatell: expect.stringMatching(
        /^http:\/\/127\.0\.0\.1:8787\/v1\/webhooks\/clickatell\/[\w-]{43}$/,
      ),
      smstools: expect.stringMatching(
        /^http:\/\/127\.0\.0\.1:8787\/v1\/webhooks\/smstools\/[\w-]{43}$/,
      ),
    })
    // The same on every read, and in the view of one provider.
    const one = await s.t.admin('GET', '/v1/admin/integrations/clickatell')
    expect(one.status, one.text).toBe(200)
    expect(one.body).toMatchObject({ provider: 'clickatell', callbackUrl: url.clickatell })
  })

  it('needs the admin token', async () => {
    expectProblem(await s.t.call('GET', '/v1/admin/integrations'), 401, 'unauthorized')
    expectProblem(await s.t.call('GET', '/v1/admin/integrations/twilio'), 401, 'unauthorized')
    expectProblem(await s.t.admin('GET', '/v1/admin/integrations/nexmo'), 404, 'not_found')
  })
})

describe('PUT /v1/admin/integrations/{provider}', () => {
  it('stores credentials encrypted at rest', async () => {
    await configure(s, 'smstools')
    const r = await s.t.db.execute(
      'SELECT credentials_sealed FROM integrations WHERE provider = ?',
      ['smstools'],
    )
    const sealed = String(r.rows[0]!.credentials_sealed)
    expect(sealed).toMatch(/^v2\.[0-9a-f]{12}\.[\w-]+\.[\w-]+$/)
    for (const value of Object.values(SMSTOOLS_CREDENTIALS)) expect(sealed).not.toContain(value)
  })

  it('keeps the stored credentials when a PUT has none', async () => {
    await configure(s, 'twilio', { priority: 1 })
    const r = await s.t.admin('PUT', '/v1/admin/integrations/twilio', {
      enabled: true,
      priority: 7,
    })
    expect(r.status, r.text).toBe(200)
    expect(r.body).toMatchObject({ priority: 7, baseUrl: s.fakes.twilio.baseUrl, missing: [] })
    expect(
      (await s.t.call('POST', '/v1/verifications', { purpose: 'register', phone: phoneNo(71) }))
        .status,
    ).toBe(201)
    expect(s.fakes.twilio.messages).toHaveLength(1)
  })

  it('takes effect on the next send: a disabled provider gets nothing', async () => {
    await configure(s, 'twilio', { priority: 1 })
    await configure(s, 'smstools', { priority: 2 })
    expect(
      (await s.t.call('POST', '/v1/verifications', { purpose: 'register', phone: phoneNo(72) }))
        .status,
    ).toBe(201)
    await s.t.admin('PUT', '/v1/admin/integrations/twilio', { enabled: false })
    expect(
      (await s.t.call('POST', '/v1/verifications', { purpose: 'register', phone: phoneNo(73) }))
        .status,
    ).toBe(201)
    expect(received(s).map((m) => m.provider)).toEqual(['twilio', 'smstools'])
  })

  it.each<[string, Record<string, unknown>, string]>([
    [
      'a missing required credential',
      {
        enabled: true,
        credentials: { accountSid: TWILIO_CREDENTIALS.accountSid, from: '+15017122661' },
      },
      'credentials.authToken',
    ],
    [
      'an unknown credential',
      { enabled: true, credentials: { ...TWILIO_CREDENTIALS, apiSecret: 'x' } },
      'credentials',
    ],
    [
      'a malformed Account SID',
      { enabled: true, credentials: { ...TWILIO_CREDENTIALS, accountSid: 'nope' } },
      'credentials.accountSid',
    ],
    ['enabling without credentials', { enabled: true }, 'credentials'],
    [
      'a baseUrl with a path',
      { enabled: false, baseUrl: 'http://127.0.0.1:9/2010-04-01' },
      'baseUrl',
    ],
    ['a baseUrl that is not http(s)', { enabled: false, baseUrl: 'ftp://example.com' }, 'baseUrl'],
    ['a baseUrl that is no URL', { enabled: false, baseUrl: 'api.twilio.com' }, 'baseUrl'],
    ['a non-boolean enabled', { enabled: 'yes' }, 'enabled'],
    ['an unknown field', { enabled: false, region: 'eu' }, '(body)'],
  ])('refuses %s with invalid_request', async (_, body, path) => {
    const r = await s.t.admin('PUT', '/v1/admin/integrations/twilio', body)
    expectProblem(r, 400, 'invalid_request')
    expect(r.body.errors.map((e: { path: string }) => e.path).join(' ')).toContain(path)
    expectNoSecrets(r.text)
    const stored = await s.t.db.execute('SELECT count(*) AS n FROM integrations')
    expect(Number(stored.rows[0]!.n)).toBe(0)
  })

  it('checks the credentials each provider needs', async () => {
    const put = (name: string, credentials: Record<string, string>) =>
      s.t.admin('PUT', `/v1/admin/integrations/${name}`, {
        enabled: true,
        priority: 1,
        credentials,
      })
    expectProblem(
      await put('smstools', { clientId: 'a', clientSecret: 'b' }),
      400,
      'invalid_request',
    )
    expectProblem(await put('twofactor', { senderId: 'MYBRND' }), 400, 'invalid_request')
    expectProblem(await put('clickatell', { apiKey: '' }), 400, 'invalid_request')
    // 2Factor.in's sender id and template, and Clickatell's two-way number, are optional.
    expect((await put('twofactor', { apiKey: CREDENTIALS.twofactor.apiKey! })).status).toBe(200)
    expect((await put('clickatell', { apiKey: 'k', twoWayNumber: '+27821234567' })).status).toBe(
      200,
    )
  })

  it('refuses voice on a provider without a voice channel', async () => {
    const r = await s.t.admin('PUT', '/v1/admin/integrations/clickatell', {
      enabled: true,
      credentials: CREDENTIALS.clickatell,
      voice: true,
    })
    expectProblem(r, 400, 'invalid_request')
  })

  it('answers 404 for an unknown provider', async () => {
    expectProblem(
      await s.t.admin('PUT', '/v1/admin/integrations/nexmo', { enabled: false }),
      404,
      'not_found',
    )
    expectProblem(
      await s.t.admin('POST', '/v1/admin/integrations/nexmo/test', { phone: phoneNo(1) }),
      404,
      'not_found',
    )
  })

  it('refuses to enable the console provider in production mode', async () => {
    const r = await s.t.admin('PUT', '/v1/admin/integrations/console', {
      enabled: true,
      priority: 0,
    })
    expectProblem(r, 409, 'policy_violation')
    expect(
      (await s.t.admin('PUT', '/v1/admin/integrations/console', { enabled: false })).status,
    ).toBe(200)
  })

  it('audits every change without the credentials', async () => {
    await configure(s, 'twilio')
    await s.t.admin('PUT', '/v1/admin/integrations/twilio', { enabled: false })
    const r = await s.t.admin('GET', '/v1/admin/audit?action=admin.integration')
    expect(r.body.events).toHaveLength(2)
    expect(r.body.events[0].detail).toMatchObject({
      provider: 'twilio',
      enabled: false,
      credentials: 'kept',
    })
    expect(r.body.events[1].detail).toMatchObject({
      provider: 'twilio',
      enabled: true,
      credentials: 'replaced',
    })
    expectNoSecrets(r.text)
  })

  it('needs the admin token', async () => {
    const r = await s.t.call('PUT', '/v1/admin/integrations/twilio', { enabled: false })
    expectProblem(r, 401, 'unauthorized')
  })
})

describe('POST /v1/admin/integrations/{provider}/test', () => {
  it('sends a code through that provider only, enabled or not', async () => {
    await configure(s, 'twilio', { priority: 1 })
    await configure(s, 'smstools', { priority: 2, enabled: false })
    const r = await s.t.admin('POST', '/v1/admin/integrations/smstools/test', {
      phone: phoneNo(81),
    })
    expect(r.status, r.text).toBe(200)
    expect(r.body).toMatchObject({
      provider: 'smstools',
      outcome: 'sent',
      messageId: s.fakes.smstools.messages[0]!.id,
    })
    expect(received(s).map((m) => m.provider)).toEqual(['smstools'])
    const audit = await s.t.admin('GET', '/v1/admin/audit?action=admin.integration.test')
    expect(audit.body.events[0]).toMatchObject({
      outcome: 'sent',
      detail: { provider: 'smstools' },
    })
  })

  it('tests the voice channel', async () => {
    await configure(s, 'twilio', { voice: false })
    const r = await s.t.admin('POST', '/v1/admin/integrations/twilio/test', {
      phone: phoneNo(82),
      channel: 'voice',
    })
    expect(r.body).toMatchObject({ outcome: 'sent' })
    expect(s.fakes.twilio.messages[0]!.channel).toBe('voice')
  })

  it('reports a failure without failing over and without secrets', async () => {
    await configure(s, 'twofactor', { priority: 1 })
    await configure(s, 'twilio', { priority: 2 })
    for (const [mode, outcome] of [
      ['server-error', 'unavailable'],
      ['bad-key', 'rejected'],
    ] as const) {
      s.fakes.twofactor.setMode(mode)
      const r = await s.t.admin('POST', '/v1/admin/integrations/twofactor/test', {
        phone: phoneNo(83),
      })
      expect(r.status, r.text).toBe(200)
      expect(r.body).toMatchObject({
        provider: 'twofactor',
        outcome,
        error: expect.stringMatching(/^twofactor/),
      })
      expectNoSecrets(r.text)
    }
    expect(s.fakes.twilio.requests).toHaveLength(0)
  })

  it('says when the destination is not one the provider takes', async () => {
    await configure(s, 'twofactor')
    const r = await s.t.admin('POST', '/v1/admin/integrations/twofactor/test', {
      phone: '+33612345678',
    })
    expect(r.body).toMatchObject({ outcome: 'unavailable', attempts: [] })
    expect(s.fakes.twofactor.requests).toHaveLength(0)
  })

  it('refuses an invalid number and the console in production', async () => {
    expectProblem(
      await s.t.admin('POST', '/v1/admin/integrations/twilio/test', { phone: '12' }),
      400,
      'invalid_phone',
    )
    expectProblem(
      await s.t.admin('POST', '/v1/admin/integrations/console/test', { phone: phoneNo(84) }),
      409,
      'policy_violation',
    )
  })
})

describe('the console provider in development mode', () => {
  it('stays the default while nothing is enabled', async () => {
    const t = await testApp()
    try {
      const phone = phoneNo(91)
      expect(
        (await t.call('POST', '/v1/verifications', { purpose: 'register', phone })).status,
      ).toBe(201)
      expect(await lastCode(t, phone)).toMatch(/^\d{6}$/)
      const [row] = (await t.db.execute('SELECT provider, status FROM messages')).rows
      expect(row).toMatchObject({ provider: 'console', status: 'sent' })
    } finally {
      t.close()
    }
  })

  it('gives way to a configured provider, and takes over when enabled ahead of it', async () => {
    const t = await testApp()
    const dev = { ...s, t }
    try {
      await configure(dev, 'twilio', { priority: 2 })
      const phone = phoneNo(92)
      expect(
        (await t.call('POST', '/v1/verifications', { purpose: 'register', phone })).status,
      ).toBe(201)
      expect(s.fakes.twilio.messages).toHaveLength(1)
      expect(await outbox(t)).toHaveLength(0)

      const r = await t.admin('PUT', '/v1/admin/integrations/console', {
        enabled: true,
        priority: 1,
      })
      expect(r.status, r.text).toBe(200)
      expect(
        (await t.call('POST', '/v1/verifications', { purpose: 'register', phone: phoneNo(93) }))
          .status,
      ).toBe(201)
      expect(s.fakes.twilio.messages).toHaveLength(1)
      expect(await outbox(t, phoneNo(93))).toHaveLength(1)
      // Test sends go to the outbox as well.
      const test = await t.admin('POST', '/v1/admin/integrations/console/test', {
        phone: phoneNo(94),
      })
      expect(test.body).toMatchObject({ provider: 'console', outcome: 'sent' })
      expect(await outbox(t, phoneNo(94))).toHaveLength(1)
    } finally {
      expectNoSecrets(t.logs.join('\n'))
      t.close()
    }
  })

  it('falls back to the console after a failing provider ranked ahead of it', async () => {
    const t = await testApp()
    try {
      await configure({ ...s, t }, 'twilio', { priority: 1 })
      await t.admin('PUT', '/v1/admin/integrations/console', { enabled: true, priority: 2 })
      s.fakes.twilio.setMode('server-error')
      const phone = phoneNo(95)
      expect(
        (await t.call('POST', '/v1/verifications', { purpose: 'register', phone })).status,
      ).toBe(201)
      expect(await outbox(t, phone)).toHaveLength(1)
      const [row] = (await t.db.execute('SELECT provider, attempts FROM messages')).rows
      expect(row!.provider).toBe('console')
      expect(
        JSON.parse(String(row!.attempts)).map((a: { provider: string }) => a.provider),
      ).toEqual(['twilio'])
    } finally {
      t.close()
    }
  })
})

it('keeps every credential out of the logs', async () => {
  // The afterEach hook checks t.logs after every test; this one makes sure there is something to check.
  await configure(s, 'twilio')
  s.fakes.twilio.setMode('bad-key')
  await s.t.call('POST', '/v1/verifications', { purpose: 'register', phone: phoneNo(99) })
  expect(s.t.logs.join('\n')).toContain('message.rejected')
  for (const secret of SECRETS) expect(s.t.logs.join('\n')).not.toContain(secret)
})
