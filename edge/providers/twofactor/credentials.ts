/** 2Factor.in's credentials (docs/api.md): checked on every PUT, and the admin form's fields. */
import { z } from '@hono/zod-openapi'
import { credentialField } from '../fields.js'

export const credentials = z
  .object({
    apiKey: credentialField(z.string().min(1).max(512), { label: 'API key', secret: true }),
    senderId: credentialField(z.string().min(1).max(11), {
      label: 'Sender id',
      help: 'Optional; your DLT sender id (up to 11 characters).',
    }).optional(),
    templateName: credentialField(z.string().min(1).max(64), {
      label: 'Template name',
      help: 'Optional; your approved DLT template.',
    }).optional(),
  })
  .strict()
