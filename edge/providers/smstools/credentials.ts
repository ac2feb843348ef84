/** Smstools' credentials (docs/api.md): checked on every PUT, and the admin form's fields. */
import { z } from '@hono/zod-openapi'
import { credentialField } from '../fields.js'

const secret = z.string().min(1).max(512)

export const credentials = z
  .object({
    clientId: credentialField(secret, { label: 'Client id' }),
    clientSecret: credentialField(secret, { label: 'Client secret', secret: true }),
    sender: credentialField(z.string().min(1).max(15), {
      label: 'Sender',
      help: 'Up to 15 characters.',
    }),
  })
  .strict()
