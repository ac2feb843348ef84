/**
 * The peer of `npm run bench`: Better Auth's phone-number plugin (better-auth, a dev dependency of
 * the bench only) on Hono and the same libSQL build, in its own process, with the floor's pragmas.
 * A start is `POST /api/auth/phone-number/send-otp`; a check that signs in is
 * `POST /api/auth/phone-number/verify` for a registered user (user update + new session). Its own
 * rate limiter is off, as the bench's distinct phones and addresses keep ours from answering 429.
 *
 * Run directly (`tsx bench/better-auth.ts`) it serves `BA_DATABASE_URL` on `PORT` (0: ephemeral)
 * and prints `better-auth listening on http://127.0.0.1:NNNN`. `GET /bench/code?phone=` answers
 * the last code sent to a number (fixtures only, never measured), as our development outbox does.
 */
import { randomBytes } from 'node:crypto'
import { serve } from '@hono/node-server'
import { createClient } from '@libsql/client'
import { LibsqlDialect } from '@libsql/kysely-libsql'
import { betterAuth } from 'better-auth'
import { getMigrations } from 'better-auth/db/migration'
import { phoneNumber } from 'better-auth/plugins/phone-number'
import { Hono } from 'hono'
import { FLOOR_PRAGMAS } from './floor.js'

type LibsqlConfigClient = Extract<
  ConstructorParameters<typeof LibsqlDialect>[0],
  { client: unknown }
>['client']

const url = process.env.BA_DATABASE_URL ?? ':memory:'
const client = createClient({ url })
for (const pragma of FLOOR_PRAGMAS) await client.execute(pragma)

const codes = new Map<string, string>()
const auth = betterAuth({
  baseURL: 'http://127.0.0.1',
  secret: randomBytes(32).toString('hex'),
  // Our client, so the same libSQL build (the dialect depends on an older @libsql/core).
  database: {
    dialect: new LibsqlDialect({ client: client as unknown as LibsqlConfigClient }),
    type: 'sqlite',
  },
  rateLimit: { enabled: false },
  telemetry: { enabled: false },
  logger: { disabled: true },
  plugins: [
    phoneNumber({
      // The console provider's equivalent: the code is kept for the fixtures, nothing is sent.
      sendOTP: ({ phoneNumber: phone, code }) => {
        codes.set(phone, code)
      },
      signUpOnVerification: {
        getTempEmail: (phone) => `${phone.replace(/\D/g, '')}@bench.example`,
      },
    }),
  ],
})
const { runMigrations } = await getMigrations(auth.options)
await runMigrations()

const app = new Hono()
app.get('/bench/code', (c) => {
  const code = codes.get(c.req.query('phone') ?? '')
  return code === undefined ? c.json({}, 404) : c.json({ code })
})
app.on(['GET', 'POST'], '/api/auth/*', (c) => auth.handler(c.req.raw))

const server = serve(
  { fetch: app.fetch, port: Number(process.env.PORT ?? 0), hostname: '127.0.0.1' },
  (info) => console.log(`better-auth listening on http://127.0.0.1:${info.port}`),
)
const stop = (): void => {
  server.close()
  client.close()
  process.exit(0)
}
process.on('SIGTERM', stop)
process.on('SIGINT', stop)
