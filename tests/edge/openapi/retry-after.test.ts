/**
 * The document promises `Retry-After` on every 429 and 503 (edge/docs/responses.ts): each way the
 * edge makes one carries it, `provider_unavailable` included.
 */
import { describe, expect, it } from 'vitest'
import { ERRORS } from '../../../shared/errors.js'
import { databaseUnavailable } from '../../../edge/db/errors.js'
import { rateLimited, problemResponse } from '../../../edge/http/errors.js'
import { NotDelivered, PROVIDER_RETRY_AFTER_S } from '../../../edge/messages/failures.js'

describe('Retry-After', () => {
  it('is on every 429 and 503 problem the edge makes', () => {
    const made = [
      rateLimited(1500),
      rateLimited(10, 'locked', 'too_many_attempts'),
      databaseUnavailable(2),
      new NotDelivered('provider_unavailable', 'No SMS provider could take the message.', false),
      rateLimited(3600_000, 'The daily spend cap is reached.', 'spend_cap_reached'),
      rateLimited(30_000, 'The bot check cannot be made right now.', 'challenge_unavailable'),
    ]
    // Every code of those statuses is among them.
    const codes = Object.entries(ERRORS).filter(([, e]) => e.status === 429 || e.status === 503)
    expect(codes.map(([c]) => c).sort()).toEqual([...new Set(made.map((e) => e.code))].sort())
    for (const err of made) {
      const res = problemResponse(err)
      expect(Number(res.headers.get('retry-after')), err.code).toBeGreaterThanOrEqual(1)
    }
    expect(problemResponse(made[0]!).headers.get('retry-after')).toBe('2')
    expect(problemResponse(made[3]!).headers.get('retry-after')).toBe(`${PROVIDER_RETRY_AFTER_S}`)
    // A number the providers refuse is the caller's to fix: no Retry-After.
    const refused = new NotDelivered('invalid_phone', 'This number cannot receive messages.', false)
    expect(problemResponse(refused).headers.get('retry-after')).toBeNull()
  })
})
