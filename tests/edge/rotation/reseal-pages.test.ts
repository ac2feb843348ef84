/**
 * The re-seal pass visits big tables in bounded statements: live verifications and tickets a page
 * of 200 at a time through their partial indexes (ties on expires_at included), users in windows
 * of 5000 rowids. Rows are written straight into the database here, as many as a page needs.
 */
import { describe, expect, it } from 'vitest'
import type { InStatement } from '@libsql/client'
import { decodeSecret } from '../../../edge/config.js'
import { deriveKeySet } from '../../../edge/crypto/keys.js'
import { open, seal } from '../../../edge/crypto/seal.js'
import { openDb } from '../../helpers/app.js'
import { events, instance, keyId, newClock, NEW, OLD, sealedValues } from './fixture.js'

describe('the re-seal pass', () => {
  it('pages through every live verification and ticket and every window of users', async () => {
    const { db, cleanup } = openDb()
    const clock = newClock()
    await instance(db, clock, { SMS_AUTH_SECRET: OLD })
    const old = await deriveKeySet(decodeSecret(OLD))
    const rows: InStatement[] = []
    for (let i = 0; i < 450; i++) {
      // Three rows share each expiry: a page may end inside a tie.
      const expires = clock.now + 60_000 + Math.floor(i / 3)
      rows.push({
        sql: `INSERT INTO verifications (id, purpose, phone_hash, phone_masked, sealed, code_hash,
                channel, code_length, max_attempts, created_at, expires_at, resend_at)
              VALUES (?, 'register', 'h', '+91 ••••', ?, 'x', 'sms', 6, 5, ?, ?, ?)`,
        args: [`ver_${i}`, await seal(old, `{"phone":"+91","code":"${i}"}`), clock.now, expires, 0],
      })
    }
    for (let i = 0; i < 250; i++)
      rows.push({
        sql: `INSERT INTO tickets (hash, kind, phone, expires_at, created_at)
              VALUES (?, 'registration', ?, ?, ?)`,
        args: [`t${i}`, await seal(old, `+91${i}`), clock.now + 600_000, clock.now],
      })
    // Far apart rowids: three windows, and empty ones between them.
    for (const rowid of [3, 6000, 15_001])
      rows.push({
        sql: `INSERT INTO users (rowid, id, name, totp_secret_sealed, created_at) VALUES (?, ?, 'U', ?, ?)`,
        args: [rowid, `usr_${rowid}`, await seal(old, `SEED${rowid}`), clock.now],
      })
    // An ended verification's blob is not worth re-sealing.
    rows.push({
      sql: `INSERT INTO verifications (id, purpose, phone_hash, phone_masked, sealed, code_hash,
              channel, code_length, max_attempts, created_at, expires_at, resend_at)
            VALUES ('ver_ended', 'login', 'h', '+91 ••••', ?, 'x', 'sms', 6, 5, ?, ?, 0)`,
      args: [await seal(old, '{}'), clock.now - 1000, clock.now],
    })
    await db.batch(rows, 'write')
    const before = await sealedValues(db, clock.now)

    const b = await instance(db, clock, { SMS_AUTH_SECRET: NEW, SMS_AUTH_SECRET_PREVIOUS: OLD })
    const report = await b.api.resealed()
    expect(report?.['verifications.sealed']?.resealed).toBe(450)
    expect(report?.['tickets.phone']?.resealed).toBe(250)
    expect(report?.['users.totp_secret_sealed']?.resealed).toBe(3)
    const newId = await keyId(NEW)
    for (const [at, value] of await sealedValues(db, clock.now)) {
      expect(value, at).toMatch(new RegExp(`^v2\\.${newId}\\.`))
      expect(await open(b.api.ctx.keys, value)).toBe(await open(b.api.ctx.keys, before.get(at)!))
    }
    const ended = await db.execute("SELECT sealed FROM verifications WHERE id = 'ver_ended'")
    expect(String(ended.rows[0]!.sealed)).toMatch(new RegExp(`^v2\\.${old.id}\\.`))
    // A pass after it finds nothing left, and says so.
    clock.advance(10 * 60_000)
    await b.call('GET', '/healthz')
    const again = await b.api.resealed()
    expect(Object.values(again ?? {}).every((c) => c.resealed + c.byOthers === 0)).toBe(true)
    expect(events(b, 'rotation.done')).toHaveLength(1)
    db.close()
    cleanup()
  }, 60_000)
})
