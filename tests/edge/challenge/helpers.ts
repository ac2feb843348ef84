/** What the challenge tests share: an app keyed to the siteverify fake, and starts from addresses. */
import { expect } from 'vitest'
import { testApp, type TestApp } from '../../helpers/app.js'
import {
  SECRET_KEY,
  SITE_KEY,
  startSiteverify,
  type SiteverifyFake,
} from '../../fakes/siteverify.js'

export interface Keyed {
  t: TestApp
  fake: SiteverifyFake
  close(): Promise<void>
}

/** An app with the challenge keyed to the fake (mode and provider as given). */
export async function keyed(
  mode: 'off' | 'always' | 'adaptive',
  provider: 'turnstile' | 'hcaptcha' | 'recaptcha' = 'turnstile',
): Promise<Keyed> {
  const fake = await startSiteverify()
  const t = await testApp()
  const put = await t.admin('PUT', '/v1/admin/challenge', {
    secretKey: SECRET_KEY,
    baseUrl: fake.baseUrl,
  })
  expect(put.status, put.text).toBe(200)
  const patch = await t.admin('PATCH', '/v1/admin/settings', {
    challengeProvider: provider,
    challengeSiteKey: SITE_KEY,
    challengeMode: mode,
  })
  expect(patch.status, patch.text).toBe(200)
  return {
    t,
    fake,
    async close() {
      t.close()
      await fake.close()
    },
  }
}

let n = 0
/** A fresh client address, so the per-address limits and signals stay out of the way. */
export const fresh = () => {
  n++
  return `10.88.${(n >> 8) & 255}.${n & 255}`
}

export function start(
  t: TestApp,
  phone: string,
  opts: { address?: string; challengeToken?: string; purpose?: string } = {},
) {
  const body: Record<string, unknown> = { purpose: opts.purpose ?? 'register', phone }
  if (opts.challengeToken) body.challengeToken = opts.challengeToken
  return t.call('POST', '/v1/verifications', body, {
    'x-forwarded-for': opts.address ?? fresh(),
  })
}
