/** Clickatell's credentials (docs/api.md): checked on every PUT, and the admin form's fields. */
import { z } from '@hono/zod-openapi'
import { credentialField } from '../fields.js'

export const credentials = z
  .object({
    apiKey: credentialField(z.string().min(1).max(512), { label: 'API key', secret: true }),
    twoWayNumber: credentialField(
      z.string().regex(/^\+?[1-9]\d{6,14}$/, 'an international number'),
      { label: 'Two-way number', help: 'Optional; international format such as +15551234567.' },
    ).optional(),
  })
  .strict()
