/**
 * Two real server processes on one sqld, for the tests that count what both let through at once.
 * They count, not overload (tests/e2e/burst.security.test.ts does): a loaded machine may take more
 * than the default 5 s per statement, which would answer 503, so statements get 30 s here.
 */
import { startServer, type Server } from './server.js'
import { startSqld, type Sqld } from './sqld.js'

export interface Cluster {
  sqld: Sqld
  a: Server
  b: Server
  close(): Promise<void>
}

export async function twoInstancesOnSqld(adminToken: string, secret: string): Promise<Cluster> {
  const sqld = await startSqld()
  const env = {
    DATABASE_URL: sqld.url,
    SMS_AUTH_SECRET: secret,
    SMS_AUTH_ADMIN_TOKEN: adminToken,
    SMS_AUTH_PUBLIC_URL: 'http://auth.test',
    SMS_AUTH_TRUST_PROXY: '1',
    SMS_AUTH_DB_TIMEOUT_MS: '30000',
  }
  const [a, b] = await Promise.all([
    startServer({ runtime: 'node', env }),
    startServer({ runtime: 'node', env }),
  ]).catch(async (err: unknown) => {
    await sqld.close()
    throw err
  })
  return {
    sqld,
    a,
    b,
    close: async () => {
      await Promise.all([a.close(), b.close()])
      await sqld.close()
    },
  }
}
