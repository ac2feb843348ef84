// The shop's backend: the built app, the sms-auth API in the same process (sms-auth/edge, at the
// root so the widget needs no configuration) and an API of its own that trusts sms-auth's access
// tokens (sms-auth/server). Usage: node server.mjs <built app dir>
import { getRequestListener } from '@hono/node-server'
import { createClient } from '@libsql/client'
import { createServer } from 'node:http'
import { readFile } from 'node:fs/promises'
import { extname, join, normalize } from 'node:path'
import { createSmsAuth } from 'sms-auth/edge'
import { AccessTokenError, bearerToken, verifyAccessToken } from 'sms-auth/server'

const dist = process.argv[2]
const TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css' }

const server = createServer()
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))
const origin = `http://127.0.0.1:${server.address().port}`

const auth = await createSmsAuth({
  db: createClient({ url: ':memory:' }),
  secret: process.env.SMS_AUTH_SECRET,
  adminToken: process.env.SMS_AUTH_ADMIN_TOKEN,
  publicUrl: origin,
  // Development: the console provider, and codes readable at /v1/dev/outbox.
  mode: 'development',
})
const api = getRequestListener(auth.fetch)

async function me(req, res) {
  try {
    const claims = await verifyAccessToken(bearerToken(req.headers.authorization), {
      jwksUrl: `${origin}/.well-known/jwks.json`,
      issuer: origin,
    })
    res.writeHead(200, { 'content-type': 'application/json' })
    res.end(JSON.stringify(claims))
  } catch (err) {
    if (!(err instanceof AccessTokenError)) throw err
    res.writeHead(401, { 'content-type': 'application/json' })
    res.end(JSON.stringify({ error: err.reason }))
  }
}

server.on('request', async (req, res) => {
  const path = new URL(req.url, origin).pathname
  if (path === '/api/me') return me(req, res)
  if (path.startsWith('/v1/') || path.startsWith('/.well-known/')) return api(req, res)
  const file = join(dist, normalize(path === '/' ? '/index.html' : path))
  const body = file.startsWith(dist) ? await readFile(file).catch(() => null) : null
  res.writeHead(body ? 200 : 404, {
    'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
  })
  res.end(body ?? 'not found')
})
console.log(`shop listening on ${origin}`)
