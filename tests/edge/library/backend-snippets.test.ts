/**
 * The backend guide's snippets (docs/snippets/backend/), each run as its own program against a
 * live edge's JWKS over HTTP with a token the edge signed: Node with jose, Deno, Python with
 * PyJWT and Go with its standard library. Each prints the token's `sub`; each refuses a tampered
 * token and a token from another issuer. Go and PyJWT are installed by .ci/run (golang-go,
 * python3-jwt): without them these tests fail rather than skip.
 */
import { execFile } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { PUBLIC_URL, phoneNo, registerByPhone, testApp, type TestApp } from '../../helpers/app.js'
import { listen, type Listening } from '../../helpers/listen.js'
import { root } from '../../helpers/server.js'

const run = promisify(execFile)
const SNIPPETS = join(root, 'docs/snippets/backend')
const goCache = mkdtempSync(join(tmpdir(), 'sms-auth-go-'))

/** Each snippet as a command line, the token last. */
const PROGRAMS: Record<string, (token: string) => [string, string[]]> = {
  'Node (jose)': (t) => [process.execPath, [join(SNIPPETS, 'verify-jose.mjs'), t]],
  Deno: (t) => [
    join(root, 'node_modules/.bin/deno'),
    [
      'run',
      '--allow-net',
      '--allow-env',
      '--cached-only',
      '--config',
      join(root, 'deno.json'),
      join(SNIPPETS, 'verify-deno.ts'),
      t,
    ],
  ],
  'Python (PyJWT)': (t) => ['/usr/bin/python3', [join(SNIPPETS, 'verify.py'), t]],
  'Go (standard library)': (t) => ['go', ['run', join(SNIPPETS, 'verify.go'), t]],
}

let t: TestApp
let edge: Listening
let token: string
let userId: string

beforeAll(async () => {
  // Real time: the programs check `exp` against their own clocks.
  t = await testApp({
    clock: {
      now: Date.now(),
      advance(ms) {
        this.now += ms
      },
    },
  })
  edge = await listen((req: Request) => t.api.app.fetch(req))
  const reg = await registerByPhone(t, phoneNo(21))
  token = reg.session.accessToken
  userId = reg.user.id
})

afterAll(async () => {
  await edge?.close()
  t?.close()
  rmSync(goCache, { recursive: true, force: true })
})

async function verify(program: string, tok: string, issuer = PUBLIC_URL) {
  const [command, args] = PROGRAMS[program]!(tok)
  const env = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '/tmp',
    GOCACHE: join(goCache, 'build'),
    GOPATH: join(goCache, 'path'),
    GOFLAGS: '-mod=mod',
    GOTOOLCHAIN: 'local',
    DENO_NO_UPDATE_CHECK: '1',
    SMS_AUTH_JWKS_URL: `${edge.url}/.well-known/jwks.json`,
    SMS_AUTH_ISSUER: issuer,
  }
  return run(command, args, { env, cwd: SNIPPETS, timeout: 90_000 }).then(
    (r) => ({ ok: true, out: r.stdout.trim(), err: r.stderr }),
    (e: { stdout?: string; stderr?: string; code?: unknown }) => ({
      ok: false,
      out: (e.stdout ?? '').trim(),
      err: `${e.stderr ?? ''} (${String(e.code)})`,
    }),
  )
}

/** The token with its payload's last character changed (the signature no longer matches). */
function tampered(tok: string): string {
  const [h, p, s] = tok.split('.')
  const last = p!.at(-2) === 'A' ? 'B' : 'A'
  return [h, p!.slice(0, -2) + last + p!.slice(-1), s].join('.')
}

describe('backend guide snippets verify tokens against the JWKS', () => {
  for (const program of Object.keys(PROGRAMS))
    it(`${program}: accepts the edge's token, refuses a tampered one and another issuer's`, async () => {
      const good = await verify(program, token)
      expect(good, good.err).toMatchObject({ ok: true, out: userId })
      const bad = await verify(program, tampered(token))
      expect(bad.ok).toBe(false)
      expect(bad.out).toBe('')
      const foreign = await verify(program, token, 'https://elsewhere.example')
      expect(foreign.ok).toBe(false)
    }, 120_000)
})
