/**
 * /v1/admin/event-endpoints and /v1/admin/event-deliveries: where events go (edge/events/), behind
 * the admin token. A secret is shown once, in the answer of the create or the rotation.
 */
import { createRoute, z } from '@hono/zod-openapi'
import {
  EventDelivery,
  EventEndpoint,
  EventEndpointCreate,
  EventEndpointPatch,
  EventEndpointWithSecret,
} from '../../shared/events.js'
import { audit } from '../audit/audit.js'
import type { Ctx } from '../context.js'
import { listDeliveries, resendDelivery } from '../events/deliveries.js'
import {
  createEndpoint,
  deleteEndpoint,
  findEndpoint,
  listEndpoints,
  rotateSecret,
  updateEndpoint,
  viewOf,
} from '../events/endpoints.js'
import type { Context } from 'hono'
import { adminActor, adminAuth } from '../http/auth.js'
import { jsonBody } from '../http/json-body.js'
import { adminToken, body, errors, json, router, use } from '../http/openapi.js'

const IdParam = z.object({
  id: z
    .string()
    .max(64)
    .openapi({ param: { name: 'id', in: 'path' } }),
})

export function eventRoutes(ctx: Ctx) {
  const app = router()
  const admin = adminAuth(ctx)
  const reader = adminAuth(ctx, 'support')
  const done = (c: Context, action: string, endpoint: string) =>
    audit(ctx, { actor: adminActor(c), action, outcome: 'ok', detail: { endpoint } })

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/admin/event-endpoints',
      operationId: 'listEventEndpoints',
      summary: 'The endpoints events are sent to (secrets never shown)',
      security: adminToken,
      middleware: use(reader),
      responses: {
        200: json(z.object({ endpoints: z.array(EventEndpoint) }), 'The endpoints'),
        ...errors(401, 403),
      },
    }),
    async (c) => {
      const now = ctx.clock()
      return c.json({ endpoints: (await listEndpoints(ctx)).map((e) => viewOf(e, now)) }, 200)
    },
  )
  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/admin/event-endpoints',
      operationId: 'createEventEndpoint',
      summary: 'Add an endpoint; the answer holds its `whsec_…` secret, shown this once',
      security: adminToken,
      middleware: use(jsonBody, admin),
      request: body(EventEndpointCreate),
      responses: {
        201: json(EventEndpointWithSecret, 'The endpoint and its secret'),
        ...errors(400, 401, 403, 415),
      },
    }),
    async (c) => {
      const { endpoint, secret } = await createEndpoint(ctx, c.req.valid('json'))
      await done(c, 'admin.event_endpoint.create', endpoint.id)
      return c.json({ endpoint: viewOf(endpoint, ctx.clock()), secret }, 201)
    },
  )
  app.openapi(
    createRoute({
      method: 'patch',
      path: '/v1/admin/event-endpoints/{id}',
      operationId: 'updateEventEndpoint',
      summary: "Change an endpoint's URL, event types or enabled state",
      security: adminToken,
      middleware: use(jsonBody, admin),
      request: { params: IdParam, ...body(EventEndpointPatch) },
      responses: {
        200: json(z.object({ endpoint: EventEndpoint }), 'The endpoint'),
        ...errors(400, 401, 403, 404, 415),
      },
    }),
    async (c) => {
      const { id } = c.req.valid('param')
      const endpoint = await updateEndpoint(ctx, id, c.req.valid('json'))
      await done(c, 'admin.event_endpoint.update', id)
      return c.json({ endpoint: viewOf(endpoint, ctx.clock()) }, 200)
    },
  )
  app.openapi(
    createRoute({
      method: 'delete',
      path: '/v1/admin/event-endpoints/{id}',
      operationId: 'deleteEventEndpoint',
      summary: 'Remove an endpoint and its pending deliveries',
      security: adminToken,
      middleware: use(jsonBody, admin),
      request: { params: IdParam },
      responses: { 204: { description: 'Removed' }, ...errors(401, 403, 404) },
    }),
    async (c) => {
      const { id } = c.req.valid('param')
      await deleteEndpoint(ctx, id)
      await done(c, 'admin.event_endpoint.delete', id)
      return c.body(null, 204)
    },
  )
  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/admin/event-endpoints/{id}/rotate-secret',
      operationId: 'rotateEventEndpointSecret',
      summary: 'A new secret, shown once; the old one still signs (both signatures sent) for 24 h',
      security: adminToken,
      middleware: use(jsonBody, admin),
      request: { params: IdParam },
      responses: {
        200: json(EventEndpointWithSecret, 'The endpoint and its new secret'),
        ...errors(401, 403, 404),
      },
    }),
    async (c) => {
      const { id } = c.req.valid('param')
      const { endpoint, secret } = await rotateSecret(ctx, id)
      await done(c, 'admin.event_endpoint.rotate_secret', id)
      return c.json({ endpoint: viewOf(endpoint, ctx.clock()), secret }, 200)
    },
  )
  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/admin/event-endpoints/{id}/deliveries',
      operationId: 'listEventDeliveries',
      summary: "An endpoint's deliveries, newest first, each with its attempts",
      description:
        'Pass `nextBefore` of a page as `before` to get the next (older) one; it is null on the last page.',
      security: adminToken,
      middleware: use(reader),
      request: {
        params: IdParam,
        query: z.object({
          limit: z.coerce.number().int().min(1).max(100).default(20),
          before: z.coerce.number().int().min(1).max(Number.MAX_SAFE_INTEGER).optional(),
        }),
      },
      responses: {
        200: json(
          z.object({ deliveries: z.array(EventDelivery), nextBefore: z.number().nullable() }),
          'Deliveries',
        ),
        ...errors(400, 401, 403, 404),
      },
    }),
    async (c) => {
      const { id } = c.req.valid('param')
      await findEndpoint(ctx, id)
      return c.json(await listDeliveries(ctx, id, c.req.valid('query')), 200)
    },
  )
  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/admin/event-deliveries/{id}/resend',
      operationId: 'resendEventDelivery',
      summary: 'Send the event of a delivery again, with the same id, from now',
      security: adminToken,
      middleware: use(jsonBody, admin),
      request: { params: IdParam },
      responses: { 202: { description: 'Queued' }, ...errors(401, 403, 404) },
    }),
    async (c) => {
      const { id } = c.req.valid('param')
      await resendDelivery(ctx, id)
      await done(c, 'admin.event_delivery.resend', id)
      return c.body(null, 202)
    },
  )
  return app
}
