/** Twilio's credentials (docs/api.md): checked on every PUT, and the admin form's fields. */
import { z } from '@hono/zod-openapi'
import { credentialField } from '../fields.js'

export const credentials = z
  .object({
    accountSid: credentialField(
      z.string().regex(/^AC[0-9a-fA-F]{32}$/, 'an Account SID: AC and 32 hex digits'),
      { label: 'Account SID', help: 'AC followed by 32 hex digits.', browserPattern: true },
    ),
    authToken: credentialField(z.string().min(1).max(512), { label: 'Auth token', secret: true }),
    // An E.164 number, a Messaging Service SID or an alphanumeric sender id.
    from: credentialField(
      z
        .string()
        .regex(
          /^(?:\+[1-9]\d{6,14}|MG[0-9a-fA-F]{32}|[A-Za-z0-9 ]{1,11})$/,
          'an E.164 number, a Messaging Service SID (MG…) or a sender id of up to 11 characters',
        ),
      {
        label: 'From',
        help: 'An E.164 number, a Messaging Service SID (MG…) or a sender id.',
      },
    ),
  })
  .strict()
