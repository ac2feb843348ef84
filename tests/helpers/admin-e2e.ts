/**
 * The set-up of the admin page's end-to-end tests: the real server of `npm start` on a fresh
 * database, on a port chosen first (its public URL names it, for the admin page's same-origin
 * calls), with an admin token, beside a Chromium, both started at once.
 */
import type { Browser } from 'playwright-core'
import { launchChromium } from './browser.js'
import { freePort } from './listen.js'
import { startServer, type Server } from './server.js'

export async function serverWithChromium(
  adminToken: string,
  secret: string,
  env: Record<string, string> = {},
): Promise<{ edge: Server; browser: Browser }> {
  const port = await freePort()
  const [edge, browser] = await Promise.all([
    startServer({
      runtime: 'node',
      env: {
        PORT: String(port),
        SMS_AUTH_PUBLIC_URL: `http://127.0.0.1:${port}`,
        SMS_AUTH_ADMIN_TOKEN: adminToken,
        SMS_AUTH_SECRET: secret,
        ...env,
      },
    }),
    launchChromium(),
  ])
  return { edge, browser }
}
