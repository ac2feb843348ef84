import { expect } from '@open-wc/testing'
import { ApiError, HttpApiClient } from '../../widget/api/client.js'

/** Answers every fetch with one problem+json response, and records the requests. */
function answer(status: number, problem: object, headers: Record<string, string> = {}) {
  const seen: Request[] = []
  const original = window.fetch
  window.fetch = (input, init) => {
    seen.push(new Request(input, init))
    const h = { 'content-type': 'application/problem+json', ...headers }
    return Promise.resolve(new Response(JSON.stringify(problem), { status, headers: h }))
  }
  return { seen, restore: () => (window.fetch = original) }
}

async function failure(p: Promise<unknown>): Promise<ApiError> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  )
  if (!(e instanceof ApiError)) throw new Error('expected an ApiError')
  return e
}

describe('HttpApiClient', () => {
  it('carries the methods of reauthentication_required', async () => {
    const f = answer(403, {
      status: 403,
      code: 'reauthentication_required',
      methods: ['sms', 'totp'],
    })
    try {
      const e = await failure(new HttpApiClient('https://api.test').newBackupCodes('at_1'))
      expect([e.code, e.status]).to.deep.equal(['reauthentication_required', 403])
      expect(e.methods).to.deep.equal(['sms', 'totp'])
    } finally {
      f.restore()
    }
  })

  it('reads database_unavailable with its Retry-After, and the channels of invalid_phone', async () => {
    let f = answer(503, { status: 503, code: 'database_unavailable' }, { 'retry-after': '3' })
    try {
      const e = await failure(new HttpApiClient('https://api.test').me('at_1'))
      expect([e.code, e.retryAfter]).to.deep.equal(['database_unavailable', 3])
    } finally {
      f.restore()
    }
    f = answer(400, { status: 400, code: 'invalid_phone', channels: ['voice'] })
    try {
      const body = { purpose: 'enroll', phone: '+912025550123' } as const
      const e = await failure(new HttpApiClient('https://api.test').startVerification(body))
      expect([e.code, e.channels]).to.deep.equal(['invalid_phone', ['voice']])
    } finally {
      f.restore()
    }
  })

  it('posts a proof to /v1/me/reauth with the bearer token', async () => {
    const f = answer(401, { status: 401, code: 'invalid_credentials' })
    try {
      const e = await failure(
        new HttpApiClient('https://api.test').reauth('at_1', { totpCode: '123456' }),
      )
      expect(e.code).to.equal('invalid_credentials')
      const [req] = f.seen
      expect([req.method, req.url]).to.deep.equal(['POST', 'https://api.test/v1/me/reauth'])
      expect(req.headers.get('authorization')).to.equal('Bearer at_1')
      expect(await req.json()).to.deep.equal({ totpCode: '123456' })
    } finally {
      f.restore()
    }
  })

  it('rotates with POST /v1/sessions/refresh and turns TOTP off with DELETE /v1/me/totp', async () => {
    const session = {
      accessToken: 'at_2',
      tokenType: 'Bearer',
      expiresIn: 900,
      refreshToken: 'rt_2',
    }
    const f = answer(200, { session, user: { id: 'usr_1' } })
    try {
      const api = new HttpApiClient('https://api.test')
      expect(await api.refresh('rt_1')).to.deep.equal(session)
      expect(await api.totpDisable('at_2', '123456')).to.deep.equal({ id: 'usr_1' })
      const [refresh, off] = f.seen
      expect([refresh.method, refresh.url]).to.deep.equal([
        'POST',
        'https://api.test/v1/sessions/refresh',
      ])
      expect(refresh.headers.get('authorization')).to.equal(null)
      expect(await refresh.json()).to.deep.equal({ refreshToken: 'rt_1' })
      expect([off.method, off.url]).to.deep.equal(['DELETE', 'https://api.test/v1/me/totp'])
      expect(off.headers.get('authorization')).to.equal('Bearer at_2')
      expect(await off.json()).to.deep.equal({ code: '123456' })
    } finally {
      f.restore()
    }
  })
})
