/**
 * `/v1/admin/challenge` (docs/api.md "Bot challenge"): the bot challenge's secret key, kept apart
 * from the settings (sealed at rest, write-only: a read says only whether it is set), and the
 * optional `baseUrl` that replaces the provider's documented origin, as integrations take one.
 */
import { z } from 'zod'
import { text } from './schemas.js'

export const ChallengeSecretPut = z
  .object({
    /** The provider's secret key; `null` removes it (the challenge then cannot be turned on). */
    secretKey: text(500).trim().min(1).nullable().optional(),
    /** Replaces the provider's origin for its script and its siteverify API; `null`: documented. */
    baseUrl: z.string().max(200).nullable().optional(),
  })
  .strict()
export type ChallengeSecretPut = z.infer<typeof ChallengeSecretPut>

export const ChallengeSecretView = z.object({
  secretKeySet: z.boolean(),
  baseUrl: z.string().nullable(),
  updatedAt: z.string().nullable(),
})
export type ChallengeSecretView = z.infer<typeof ChallengeSecretView>
