/**
 * /v1/admin/test-numbers: the site owner's test numbers (docs/api.md "Test numbers"), behind the
 * admin token. Any number may be listed, a real-looking one too (the reviewer's account signs in
 * with it, so an account may already hold it); the fixed code has the site's `codeLength` and is
 * generated when none is given. Every change is audited (never with the code).
 */
import { createRoute, z } from '@hono/zod-openapi'
import { TestNumber, TestNumberCreate, TestNumberList } from '../../shared/test-number-schemas.js'
import { isUniqueViolation } from '../accounts/users.js'
import { auditStatement } from '../audit/audit.js'
import type { Ctx } from '../context.js'
import { randomDigits } from '../crypto/random.js'
import { adminActor, adminAuth } from '../http/auth.js'
import { ApiError } from '../http/errors.js'
import { jsonBody } from '../http/json-body.js'
import { adminToken, body, errors, json, router, use } from '../http/openapi.js'
import { TEST_NUMBERS_MAX } from '../limits/policy.js'
import { parseLoose, phoneHash } from '../phone.js'
import { getSettings, siteConfig } from '../settings/settings.js'
import { endTestStatement } from '../verifications/store.js'
import { deleteStatement, insertStatement, listTestNumbers, view, type Listed } from './store.js'

const PhoneParam = z.object({
  phone: z
    .string()
    .max(64)
    .openapi({
      param: { name: 'phone', in: 'path' },
      description: 'The E.164 number, URL-encoded (`%2B15555550100`)',
    }),
})

const invalidPhone = () =>
  new ApiError('invalid_phone', 'Enter the number with its country code, or give its country.')

export function testNumberRoutes(ctx: Ctx) {
  const app = router()
  const admin = adminAuth(ctx)
  const audited = (
    actor: string,
    action: string,
    phoneMasked: string,
    detail: Record<string, boolean>,
  ) => auditStatement(ctx, { actor, action, outcome: 'ok', phoneMasked, detail }, true)

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/admin/test-numbers',
      operationId: 'listTestNumbers',
      summary: 'The test numbers and their fixed codes (no message is ever sent to them)',
      security: adminToken,
      middleware: use(admin),
      responses: { 200: json(TestNumberList, 'The test numbers'), ...errors(401) },
    }),
    async (c) => {
      const listed = await listTestNumbers(ctx)
      const readable = listed.filter((n): n is Listed & { code: string } => n.code !== null)
      return c.json({ testNumbers: readable.map(view) }, 200)
    },
  )

  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/admin/test-numbers',
      operationId: 'addTestNumber',
      summary: `List a test number with its fixed code (at most ${TEST_NUMBERS_MAX})`,
      security: adminToken,
      middleware: use(jsonBody, admin),
      request: body(TestNumberCreate),
      responses: {
        201: json(z.object({ testNumber: TestNumber }), 'The number, listed'),
        ...errors(400, 401, 409, 415),
      },
    }),
    async (c) => {
      const input = c.req.valid('json')
      const settings = await getSettings(ctx.db)
      const n = parseLoose(input.phone, input.country ?? settings.defaultCountry)
      if (!n) throw invalidPhone()
      if (input.code !== undefined && input.code.length !== settings.codeLength)
        throw new ApiError('invalid_request', `The code must have ${settings.codeLength} digits.`, {
          errors: [{ path: 'code', message: `${settings.codeLength} digits (codeLength)` }],
        })
      const code = input.code ?? randomDigits(settings.codeLength)
      const now = ctx.clock()
      const description = input.description || null
      const row = { phone: n.e164, code, description, createdBy: adminActor(c) }
      const [inserted] = await ctx.db
        .batch(
          [
            await insertStatement(ctx, row, now),
            audited(adminActor(c), 'admin.test_number.add', n.masked, {
              generated: input.code === undefined,
            }),
          ],
          'write',
        )
        .catch((err: unknown) => {
          if (isUniqueViolation(err, 'test_numbers.phone')) throw listedAlready()
          throw err
        })
      if (inserted!.rowsAffected !== 1) {
        if ((await (await siteConfig(ctx)).listed(n.e164)) !== null) throw listedAlready()
        throw new ApiError(
          'policy_violation',
          `At most ${TEST_NUMBERS_MAX} test numbers: remove one first.`,
        )
      }
      return c.json({ testNumber: view({ ...row, createdAt: now }) }, 201)
    },
  )

  app.openapi(
    createRoute({
      method: 'delete',
      path: '/v1/admin/test-numbers/{phone}',
      operationId: 'removeTestNumber',
      summary:
        'Remove a test number: its live codes stop working, and the number is refused again if reserved',
      security: adminToken,
      middleware: use(jsonBody, admin),
      request: { params: PhoneParam },
      responses: { 204: { description: 'Removed' }, ...errors(400, 401, 404) },
    }),
    async (c) => {
      const n = parseLoose(c.req.valid('param').phone.trim())
      if (!n) throw invalidPhone()
      const now = ctx.clock()
      const [removed] = await ctx.db.batch(
        [
          deleteStatement(n.e164),
          audited(adminActor(c), 'admin.test_number.remove', n.masked, {}),
          endTestStatement(phoneHash(ctx.keys, n.e164), now),
        ],
        'write',
      )
      if (removed!.rowsAffected !== 1) throw new ApiError('not_found', 'No such test number.')
      return c.body(null, 204)
    },
  )
  return app
}

const listedAlready = () =>
  new ApiError(
    'already_exists',
    'That number is already a test number: remove it first to change its code.',
  )
