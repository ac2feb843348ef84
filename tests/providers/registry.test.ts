/**
 * Every provider of edge/providers/registry.ts is whole: its folder has a client, a credential
 * schema the admin page can render, an error classification, a receipt parser (or says it sends
 * no receipts), and tests/fakes/<name>.ts speaks its API. Adding a provider without one of these
 * fails here (docs/providers.md, "How to add a provider").
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import { pathToFileURL } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'
import { z } from '@hono/zod-openapi'
import { fieldsOf } from '../../edge/providers/fields.js'
import { isRetryable, refusesNumber } from '../../edge/providers/reasons.js'
import { PERMANENT_REASONS, RETRYABLE_REASONS } from '../../edge/providers/reasons.js'
import { CLIENT_NAMES, registry } from '../../edge/providers/registry.js'
import type { OutboundMessage, ProviderDefinition } from '../../edge/providers/types.js'
import type { Fake, FailMode } from '../fakes/server.js'

const ROOT = join(import.meta.dirname, '..', '..')
const REASONS: readonly string[] = [...RETRYABLE_REASONS, ...PERMANENT_REASONS]
/** An Indian mobile number: every provider takes it (2Factor.in takes nothing else). */
const TO = '+919812345678'
const msg: OutboundMessage = {
  to: TO,
  channel: 'sms',
  text: 'Your code is 482913',
  code: '482913',
  kind: 'code',
  locale: 'en',
}

interface FakeModule {
  start: (credentials?: Record<string, string>) => Promise<Fake>
  credentials: Record<string, string>
}

/** The fake's `start…` function and its `…_CREDENTIALS`, whatever the provider calls them. */
async function fakeOf(name: string): Promise<FakeModule> {
  const url = pathToFileURL(join(ROOT, 'tests', 'fakes', `${name}.ts`)).href
  const mod = (await import(/* @vite-ignore */ url)) as Record<string, unknown>
  const start = Object.entries(mod).find(
    ([k, v]) => k.startsWith('start') && typeof v === 'function',
  )
  const credentials = Object.entries(mod).find(([k]) => k.endsWith('_CREDENTIALS'))
  if (!start || !credentials)
    throw new Error(`tests/fakes/${name}.ts lacks start… or …_CREDENTIALS`)
  return {
    start: start[1] as FakeModule['start'],
    credentials: credentials[1] as Record<string, string>,
  }
}

const fakes: Fake[] = []
afterAll(async () => {
  await Promise.all(fakes.map((f) => f.close()))
})

const entries = Object.entries(registry) as [string, ProviderDefinition][]

describe('edge/providers/registry.ts', () => {
  it('lists at least the four documented providers, each under its folder name', () => {
    expect(CLIENT_NAMES).toEqual(
      expect.arrayContaining(['twilio', 'clickatell', 'twofactor', 'smstools']),
    )
    for (const [name, d] of entries) expect(d.client.name).toBe(name)
  })

  it('has a folder for each provider and no provider folder outside the registry', () => {
    const dir = join(ROOT, 'edge', 'providers')
    const folders = readdirSync(dir, { withFileTypes: true })
      .filter((e) => e.isDirectory())
      .map((e) => e.name)
    expect(folders.sort()).toEqual([...CLIENT_NAMES].sort())
  })
})

describe.each(entries)('provider %s', (name, d) => {
  const folder = join(ROOT, 'edge', 'providers', name)

  it('has its parts in its folder: client, credentials, errors, receipts, index', () => {
    const parts = ['client.ts', 'credentials.ts', 'errors.ts', 'index.ts']
    if (d.receipts) parts.push('receipts.ts')
    for (const part of parts) expect(existsSync(join(folder, part)), `${name}/${part}`).toBe(true)
  })

  it('has a client: a title, channels, a documented https origin, eligible and send', () => {
    expect(d.title).toMatch(/\S/)
    expect(d.client.channels.length).toBeGreaterThan(0)
    expect(new URL(d.client.origin).protocol).toBe('https:')
    expect(typeof d.client.eligible).toBe('function')
    expect(typeof d.client.send).toBe('function')
    expect(d.client.eligible(TO, 'sms')).toBe(true)
  })

  it('has a strict credential schema with a label on every field, the client requiring the same keys', () => {
    expect(d.credentials).toBeInstanceOf(z.ZodObject)
    expect(d.credentials.safeParse({ notAField: 'x' }).success).toBe(false)
    const fields = fieldsOf(d.credentials)
    expect(fields.length).toBeGreaterThan(0)
    for (const f of fields) {
      expect(f.label, `${name}.${f.key}`).not.toBe(f.key)
      expect(f.type).toBe(f.secret ? 'password' : 'text')
    }
    expect(fields.some((f) => f.secret)).toBe(true)
    const required = fields.filter((f) => f.required).map((f) => f.key)
    expect([...d.client.credentials.required]).toEqual(required)
    expect([...d.client.credentials.optional]).toEqual(
      fields.filter((f) => !f.required).map((f) => f.key),
    )
  })

  it('classifies answers into typed reasons', () => {
    for (const failure of [
      { status: 500 },
      { status: 200 },
      { status: 400, text: 'x', code: '1' },
    ]) {
      expect(REASONS).toContain(d.classify(failure))
    }
    expect(isRetryable(d.classify({ status: 503 }))).toBe(true)
    expect(d.classify({ status: 200 })).toBe('unexpected')
  })

  it('has a receipt parser, or says it sends none', () => {
    expect(d).toHaveProperty('receipts')
    if (d.receipts === null) return
    expect(typeof d.receipts.parse).toBe('function')
    const { auth } = d.receipts
    if (auth.kind === 'signature') {
      expect(fieldsOf(d.credentials).map((f) => f.key)).toContain(auth.key)
    } else {
      expect(auth.kind).toBe('url-token')
      // The admin page says where the URL goes in the provider's portal.
      expect(d.receipts.portalHint).toMatch(/\S/)
    }
  })

  it('has a fake in tests/fakes that speaks its API, with credentials its schema accepts', async () => {
    expect(existsSync(join(ROOT, 'tests', 'fakes', `${name}.ts`))).toBe(true)
    const fake = await fakeOf(name)
    expect(d.credentials.safeParse(fake.credentials).success).toBe(true)
    const server = await fake.start()
    fakes.push(server)
    const ctx = { credentials: fake.credentials, baseUrl: server.baseUrl, fetch }
    const sent = await d.client.send(msg, ctx)
    expect(sent.status).toBe('sent')
    expect(server.messages).toHaveLength(1)
    // The fake's refusals and the provider's classification agree on what the user must fix.
    const expected: [FailMode, (r: string | undefined) => boolean][] = [
      ['invalid-number', (r) => r === 'invalid_number'],
      ['opted-out', (r) => r === 'opted_out'],
      ['server-error', (r) => r !== undefined && isRetryable(r as never)],
    ]
    for (const [mode, ok] of expected) {
      server.failNext(mode)
      const result = await d.client.send(msg, ctx)
      const reason =
        result.status === 'failed' || result.status === 'rejected' ? result.reason : undefined
      expect(ok(reason), `${name} ${mode}: ${reason}`).toBe(true)
      expect(refusesNumber(reason)).toBe(mode !== 'server-error')
    }
  })
})

describe('error classification stays in the provider folders', () => {
  /** Every .ts file under edge/, except the provider folders themselves. */
  function files(dir: string): string[] {
    return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
      const path = join(dir, e.name)
      if (e.isDirectory())
        return CLIENT_NAMES.some((n) => path.endsWith(join('providers', n))) ? [] : files(path)
      return e.name.endsWith('.ts') ? [path] : []
    })
  }

  it('has no regex over a provider’s error text outside its folder', () => {
    const names = CLIENT_NAMES.join('|')
    const literal = new RegExp(`/\\^?\\(?\\??:?(?:${names})[ :(]`, 'i')
    const offenders = files(join(ROOT, 'edge')).filter((f) => literal.test(readFileSync(f, 'utf8')))
    expect(offenders.map((f) => relative(ROOT, f))).toEqual([])
  })
})
