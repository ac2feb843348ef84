import { testApp } from './helpers/app.js'
import { phoneNumber, clientAddress } from '../bench/fixtures.js'

const N = Number(process.env.N ?? 1000)
async function main() {
  const t = await testApp()
  t.clock.now = Date.now()
  const db = t.db
  const stats = { n: 0, ms: 0, sql: new Map<string, number>() }
  const origExec = db.execute.bind(db)
  const origBatch = db.batch.bind(db)
  ;(db as any).execute = async (s: any, a?: any) => {
    const t0 = performance.now()
    try { return await origExec(s, a) } finally { stats.n++; stats.ms += performance.now() - t0; const k = 'E:' + String(typeof s === 'string' ? s : s.sql).replace(/\s+/g, ' ').slice(0, 60); stats.sql.set(k, (stats.sql.get(k) ?? 0) + 1) }
  }
  ;(db as any).batch = async (s: any, m?: any) => {
    const t0 = performance.now()
    try { return await origBatch(s, m) } finally { stats.n++; stats.ms += performance.now() - t0; const k = 'B' + s.length + ':' + s.map((x: any) => String(x.sql).replace(/\s+/g, ' ').slice(0, 25)).join(' | '); stats.sql.set(k, (stats.sql.get(k) ?? 0) + 1) }
  }
  const reset = () => { stats.n = 0; stats.ms = 0; stats.sql.clear() }
  let k = 0
  const post = (path: string, body: unknown) => t.call('POST', path, body, { 'x-forwarded-for': clientAddress(k++) })
  const outbox = async (e164: string) => String((await origExec({ sql: 'SELECT code FROM dev_outbox WHERE to_phone = ? ORDER BY rowid DESC LIMIT 1', args: [e164] })).rows[0]!.code)
  // prepare logins
  const pending: { id: string; code: string }[] = []
  for (let i = 0; i < N + 50; i++) {
    const { national, e164 } = phoneNumber(i)
    const r = await post('/v1/verifications', { purpose: 'register', phone: national, country: 'IN' })
    const a = await post(`/v1/verifications/${r.body.id}/check`, { code: await outbox(e164) })
    const u = await post('/v1/users', { registrationTicket: a.body.registrationTicket, name: `B ${i}`, email: `b${i}@example.com` })
    if (u.status !== 201) throw new Error(u.text)
    const l = await post('/v1/verifications', { purpose: 'login', phone: national, country: 'IN' })
    pending.push({ id: l.body.id, code: await outbox(e164) })
  }
  // start (register on fresh phones)
  for (let rep = 0; rep < 2; rep++) {
    reset()
    let t0 = performance.now()
    for (let i = 0; i < N; i++) {
      const { national } = phoneNumber(200_000 + rep * N + i)
      const r = await post('/v1/verifications', { purpose: 'register', phone: national, country: 'IN' })
      if (r.status !== 201) throw new Error(r.text)
    }
    let el = performance.now() - t0
    console.log(`start: ${(el / N).toFixed(3)} ms/req, sql ${(stats.ms / N).toFixed(3)} ms, ${(stats.n / N).toFixed(2)} stmts/req`)
    if (rep === 1) for (const [q, c] of stats.sql) console.log('   ', (c / N).toFixed(2), q)
  }
  for (let rep = 0; rep < 2; rep++) {
    reset()
    const half = N / 2
    const t0 = performance.now()
    for (let i = 0; i < half; i++) {
      const p = pending[rep * half + i]!
      const r = await post(`/v1/verifications/${p.id}/check`, { code: p.code })
      if (r.status !== 200 || !r.body.session) throw new Error(r.text)
    }
    const el = performance.now() - t0
    console.log(`check: ${(el / half).toFixed(3)} ms/req, sql ${(stats.ms / half).toFixed(3)} ms, ${(stats.n / half).toFixed(2)} stmts/req`)
    if (rep === 1) for (const [q, c] of stats.sql) console.log('   ', (c / half).toFixed(2), q)
  }
  t.close()
}
main()
