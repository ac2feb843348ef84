/**
 * The four provider fakes for the delivery tests, started once per file, and an edge in production
 * mode (no console provider) per test, configured through the admin API with `baseUrl`s pointing
 * at the fakes.
 */
import { afterAll, afterEach, beforeAll, beforeEach, expect } from 'vitest'
import { CLICKATELL_CREDENTIALS, startClickatell } from '../../fakes/clickatell.js'
import type { Fake } from '../../fakes/server.js'
import { SMSTOOLS_CREDENTIALS, startSmstools } from '../../fakes/smstools.js'
import { TWILIO_CREDENTIALS, startTwilio, type TwilioFake } from '../../fakes/twilio.js'
import { TWOFACTOR_CREDENTIALS, startTwoFactor } from '../../fakes/twofactor.js'
import { phoneNo, testApp, type Res, type TestApp } from '../../helpers/app.js'

export type Name = 'twilio' | 'clickatell' | 'twofactor' | 'smstools'

export const CREDENTIALS: Record<Name, Record<string, string>> = {
  twilio: TWILIO_CREDENTIALS,
  clickatell: CLICKATELL_CREDENTIALS,
  twofactor: TWOFACTOR_CREDENTIALS,
  smstools: SMSTOOLS_CREDENTIALS,
}

/** Values that must never leave the server: the secrets and the long account identifiers. */
export const SECRETS = [
  TWILIO_CREDENTIALS.authToken,
  TWILIO_CREDENTIALS.accountSid,
  CLICKATELL_CREDENTIALS.apiKey,
  TWOFACTOR_CREDENTIALS.apiKey,
  SMSTOOLS_CREDENTIALS.clientId,
  SMSTOOLS_CREDENTIALS.clientSecret,
]

export function expectNoSecrets(text: string): void {
  for (const secret of SECRETS) expect(text).not.toContain(secret)
}

export interface Fakes {
  twilio: TwilioFake
  clickatell: Fake
  twofactor: Fake
  smstools: Fake
}

export interface Setup {
  fakes: Fakes
  t: TestApp
}

/** Registers the hooks of a delivery test file; read `setup.t` and `setup.fakes` inside tests. */
export function useDelivery(
  // The fakes listen on http://127.0.0.1, which production refuses without the override.
  env: Record<string, string> = {
    SMS_AUTH_MODE: 'production',
    SMS_AUTH_ALLOW_PRIVATE_BASE_URLS: '1',
  },
): Setup {
  const setup = {} as Setup
  beforeAll(async () => {
    setup.fakes = {
      twilio: await startTwilio(),
      clickatell: await startClickatell(),
      twofactor: await startTwoFactor(),
      smstools: await startSmstools(),
    }
  })
  afterAll(async () => {
    for (const fake of Object.values(setup.fakes)) await fake.close()
  })
  beforeEach(async () => {
    for (const fake of Object.values(setup.fakes)) {
      fake.setMode(null)
      fake.setDelay(0)
      fake.messages.length = 0
      fake.requests.length = 0
    }
    setup.t = await testApp({ env })
    // Production allows only the default country until the site lists its countries.
    const listed = await setup.t.admin('PATCH', '/v1/admin/settings', {
      allowedCountries: ['IN', 'US', 'GB', 'FR', 'DE', 'ES', 'AE'],
    })
    expect(listed.status, listed.text).toBe(200)
  })
  afterEach(() => {
    // Whatever a test did, no response or log line carried a credential.
    expectNoSecrets(setup.t.logs.join('\n'))
    setup.t.close()
  })
  return setup
}

/** PUT /v1/admin/integrations/{name} with the fake's credentials and origin. */
export async function configure(
  setup: Setup,
  name: Name,
  options: {
    priority?: number
    voice?: boolean
    enabled?: boolean
    failoverAfterTimeout?: boolean
  } = {},
): Promise<Res> {
  const r = await setup.t.admin('PUT', `/v1/admin/integrations/${name}`, {
    enabled: options.enabled ?? true,
    priority: options.priority ?? 1,
    credentials: CREDENTIALS[name],
    baseUrl: setup.fakes[name].baseUrl,
    voice: options.voice ?? false,
    ...(options.failoverAfterTimeout === undefined
      ? {}
      : { failoverAfterTimeout: options.failoverAfterTimeout }),
  })
  expect(r.status, r.text).toBe(200)
  expectNoSecrets(r.text)
  return r
}

/** Every message the four fakes accepted. */
export function received(setup: Setup) {
  return (Object.entries(setup.fakes) as [Name, Fake][]).flatMap(([name, fake]) =>
    fake.messages.map((m) => ({ provider: name, ...m })),
  )
}

export interface MessageRow {
  provider: string | null
  provider_message_id: string | null
  status: string
  error: string | null
  attempts: string | null
  to_masked: string
  channel: string
}

export async function messageRows(t: TestApp): Promise<MessageRow[]> {
  const r = await t.db.execute(
    'SELECT provider, provider_message_id, status, error, attempts, to_masked, channel FROM messages ORDER BY created_at, rowid',
  )
  return r.rows as unknown as MessageRow[]
}

/** Sends one code through `name` and returns the provider's message id. */
export async function sendOne(setup: Setup, name: Name, n: number): Promise<string> {
  await configure(setup, name)
  const r = await setup.t.call('POST', '/v1/verifications', {
    purpose: 'register',
    phone: phoneNo(n),
  })
  expect(r.status, r.text).toBe(201)
  return setup.fakes[name].messages.at(-1)!.id
}

/** The path of the receipt URL the admin integration view shows for `name` (with its token). */
export async function hookPath(t: TestApp, name: Name): Promise<string> {
  const r = await t.admin('GET', `/v1/admin/integrations/${name}`)
  expect(r.status, r.text).toBe(200)
  return new URL(r.body.callbackUrl).pathname
}
