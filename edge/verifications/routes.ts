/** POST /v1/verifications, /{id}/resend, /{id}/check */
import { createRoute, z } from '@hono/zod-openapi'
import {
  CheckBody,
  CheckResult,
  ResendBody,
  StartVerificationBody,
  Verification,
} from '../../shared/schemas.js'
import type { Ctx } from '../context.js'
import { optionalUser } from '../http/auth.js'
import { jsonBody } from '../http/json-body.js'
import { body, errors, json, optionalBearer, router, use } from '../http/openapi.js'
import { checkVerification } from './check.js'
import { clientOf } from '../sessions/remember-client.js'
import { resendVerification } from './resend.js'
import { startVerification } from './start.js'
import { noteIfLimited } from '../challenge/gate.js'
import type { AddressOf } from '../http/client.js'

const Id = z.object({
  id: z
    .string()
    .max(64)
    .openapi({ param: { name: 'id', in: 'path' } }),
})

export function verificationRoutes(ctx: Ctx, address: AddressOf) {
  const app = router()
  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/verifications',
      operationId: 'startVerification',
      summary: 'Send a code (register, login, mfa, enroll, change_phone, reauth, password_reset)',
      description:
        'Anonymous for `register`, `login`, `password_reset` (with `phone` or `email`) and `mfa` ' +
        '(with its `mfaTicket`); `enroll`, ' +
        '`change_phone` and `reauth` need the Bearer access token of the signed-in user (401 ' +
        'without it).',
      security: optionalBearer,
      middleware: use(jsonBody),
      request: body(StartVerificationBody),
      responses: {
        201: json(Verification, 'Code sent'),
        ...errors(400, 401, 403, 404, 409, 413, 429, 503),
      },
    }),
    async (c) => {
      const input = c.req.valid('json')
      const auth =
        input.purpose === 'enroll' || input.purpose === 'change_phone' || input.purpose === 'reauth'
          ? await optionalUser(ctx, c)
          : undefined
      const from = address(c)
      const v = await startVerification(ctx, input, {
        address: from,
        auth,
        origin: c.req.header('origin'),
      }).catch((err: unknown) => noteIfLimited(ctx, err, from))
      return c.json(v, 201)
    },
  )
  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/verifications/{id}/resend',
      operationId: 'resendVerification',
      summary: 'Send the code again, by SMS or by a voice call',
      security: optionalBearer,
      middleware: use(jsonBody),
      request: { params: Id, ...body(ResendBody) },
      responses: {
        200: json(Verification, 'Code sent again'),
        ...errors(400, 404, 409, 410, 429, 503),
      },
    }),
    async (c) => {
      const { id } = c.req.valid('param')
      const { channel } = c.req.valid('json')
      const auth = await optionalUser(ctx, c).catch(() => undefined)
      return c.json(await resendVerification(ctx, id, channel, { address: address(c), auth }), 200)
    },
  )
  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/verifications/{id}/check',
      operationId: 'checkVerification',
      summary: 'Check a code',
      description:
        'Anonymous for `register`, `login` and `mfa` codes. The check of an `enroll` or ' +
        '`change_phone` code (and of a `reauth` code) needs the Bearer access token of the user ' +
        "who started it: without it, or with another user's, the answer is 403 `forbidden`.",
      security: optionalBearer,
      middleware: use(jsonBody),
      request: { params: Id, ...body(CheckBody) },
      responses: {
        200: json(CheckResult, 'Approved'),
        ...errors(400, 401, 403, 404, 409, 410, 429),
      },
    }),
    async (c) => {
      const { id } = c.req.valid('param')
      const { code } = c.req.valid('json')
      const v = await checkVerification(ctx, id, code, {
        address: address(c),
        auth: await optionalUser(ctx, c).catch(() => undefined),
        client: clientOf(c),
      })
      return c.json(v as z.infer<typeof CheckResult>, 200)
    },
  )
  return app
}
