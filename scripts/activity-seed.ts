/**
 * For the README's picture of the Activity tab (scripts/screenshots.ts `activity`): a spawned server
 * runs on the real clock, so the 29 days before today are written straight into its daily table
 * (stats_daily, migration 0014), as the triggers would have: a steady shop in India, the US and
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

export async function seedActivity(dbFile: string, days = 29): Promise<void> {
  const db = createClient({ url: `file:${dbFile}` })
  const rows: [string, string, string, string, string, number][] = []
  const add = (
    day: string,
    metric: string,
    country: string,
    channel: string,
    p: string,
    n: number,
  ) => n && rows.push([day, metric, country, channel, p, n])
  for (let d = days; d >= 1; d--) {
    const day = new Date(Date.now() - d * DAY_MS).toISOString().slice(0, 10)
    const weekend = [0, 6].includes(new Date(Date.now() - d * DAY_MS).getUTCDay())
    const pumping = d === 9
    for (const [i, c] of COUNTRIES.entries()) {
      const wave = 1 + 0.25 * Math.sin((d + i * 2) / 3)
      let started = Math.round(c.base * wave * (weekend ? 0.7 : 1))
      const verified = Math.round(started * c.conversion)
      if (pumping && c.country === 'IN') started += 60
      const voice = Math.round(started * 0.08)
      const price = DEFAULT_PRICES[c.country]!
      add(day, 'started', c.country, 'sms', 'console', started)
      add(day, 'sent', c.country, 'sms', 'console', started + Math.round(started * 0.1))
      add(day, 'delivered', c.country, 'sms', 'console', started + Math.round(started * 0.1))
      add(day, 'sent', c.country, 'voice', 'console', voice)
      add(day, 'delivered', c.country, 'voice', 'console', voice)
      add(day, 'verified', c.country, 'sms', 'console', verified)
      const sms = started + Math.round(started * 0.1)
      add(day, 'spend', c.country, 'sms', '', sms * price.sms)
      add(day, 'spend', c.country, 'voice', '', voice * price.voice)
    }
    add(day, 'refused:messages_per_number', '', '', '', 2 + (d % 4))
    add(day, 'refused:messages_per_address', '', '', '', d % 3)
    if (pumping) {
      add(day, 'refused:breaker', '', '', '', 75)
      add(day, 'refused:numbers_per_prefix', '', '', '', 18)
      add(day, 'trip:prefix', 'IN', '', '', 2)
    }
    if (d === 8) add(day, 'refused:breaker', '', '', '', 12)
  }
  await db.batch(
    rows.map((args) => ({
      sql: `INSERT INTO stats_daily (day, metric, country, channel, provider, n) VALUES (?, ?, ?, ?, ?, ?)
            ON CONFLICT (day, metric, country, channel, provider) DO UPDATE SET n = n + excluded.n`,
      args,
    })),
    'write',
  )
  db.close()
}
