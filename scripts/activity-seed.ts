/**
 * For the README's picture of the Activity tab (scripts/screenshots.ts `activity`): a spawned server
 * runs on the real clock, so the 29 days before today are written straight into its daily tables
 * (stats_daily and stats_refusals, migration 0014), as the triggers would have: a steady shop in India, the US and
 * the UK whose codes are mostly entered, with one pumping day (a prefix sent codes nobody entered,
 * the breaker tripped and refused the rest). Deterministic, so the picture is the same each time.
 * Today's figures are the real ones of the flows the script runs.
 */
import { createClient } from '@libsql/client'
import { DEFAULT_PRICES } from '../edge/spend/default-prices.js'

const DAY_MS = 86_400_000
const COUNTRIES = [
  { country: 'IN', base: 42, conversion: 0.86 },
  { country: 'US', base: 14, conversion: 0.9 },
  { country: 'GB', base: 7, conversion: 0.88 },
]

type Figures = Partial<
  Record<'started' | 'sent' | 'delivered' | 'verified' | 'spend' | 'trips_prefix', number>
>

export async function seedActivity(dbFile: string, days = 29): Promise<void> {
  const db = createClient({ url: `file:${dbFile}` })
  const statements: { sql: string; args: (string | number)[] }[] = []
  const add = (key: [string, string, string, string], f: Figures) => {
    const cols = Object.keys(f)
    statements.push({
      sql: `INSERT INTO stats_daily (day, country, channel, provider, ${cols.join(', ')})
            VALUES (?, ?, ?, ?, ${cols.map(() => '?').join(', ')})
            ON CONFLICT (day, country, channel, provider) DO UPDATE SET
              ${cols.map((c) => `${c} = ${c} + excluded.${c}`).join(', ')}`,
      args: [...key, ...(Object.values(f) as number[])],
    })
  }
  const refused = (day: string, limit: string, n: number) =>
    n &&
    statements.push({
      sql: 'INSERT INTO stats_refusals (day, limit_name, n) VALUES (?, ?, ?)',
      args: [day, limit, n],
    })
  for (let d = days; d >= 1; d--) {
    const at = Date.now() - d * DAY_MS
    const day = new Date(at).toISOString().slice(0, 10)
    const weekend = [0, 6].includes(new Date(at).getUTCDay())
    const pumping = d === 9
    for (const [i, c] of COUNTRIES.entries()) {
      const wave = 1 + 0.25 * Math.sin((d + i * 2) / 3)
      let started = Math.round(c.base * wave * (weekend ? 0.7 : 1))
      const verified = Math.round(started * c.conversion)
      if (pumping && c.country === 'IN') started += 60
      const sms = started + Math.round(started * 0.1)
      const voice = Math.round(started * 0.08)
      const price = DEFAULT_PRICES[c.country]!
      add([day, c.country, 'sms', 'console'], { started, sent: sms, delivered: sms, verified })
      add([day, c.country, 'voice', 'console'], { sent: voice, delivered: voice })
      add([day, c.country, 'sms', ''], { spend: sms * price.sms })
      add([day, c.country, 'voice', ''], { spend: voice * price.voice })
    }
    refused(day, 'messages_per_number', 2 + (d % 4))
    refused(day, 'messages_per_address', d % 3)
    if (pumping) {
      refused(day, 'breaker', 75)
      refused(day, 'numbers_per_prefix', 18)
      add([day, 'IN', '', ''], { trips_prefix: 2 })
    }
    if (d === 8) refused(day, 'breaker', 12)
  }
  await db.batch(statements, 'write')
  db.close()
}
