/**
 * Credential fields as the admin page renders them, read from each provider's zod schema (its
 * `credentials.ts`) through `z.toJSONSchema`: the form is never a second list to keep in step.
 */
import { z } from '@hono/zod-openapi'
import type { CredentialSchema } from './types.js'

/** What a credential field says about itself, beside its zod checks (`.meta(…)`). */
export interface FieldMeta {
  label: string
  /** Shown as a password field, and never echoed (the API masks every credential anyway). */
  secret?: boolean
  help?: string
  /** Let the browser check the schema's pattern too, before the request. */
  browserPattern?: boolean
}

/** One credential field of `GET /v1/admin/integrations` (`fields`). */
export interface CredentialField {
  key: string
  label: string
  type: 'text' | 'password'
  required: boolean
  secret: boolean
  help?: string
  pattern?: string
}

export const credentialField = <T extends z.ZodType>(schema: T, meta: FieldMeta): T =>
  schema.meta({ ...meta })

/** The schema's fields in declaration order. */
export function fieldsOf(schema: CredentialSchema): CredentialField[] {
  const json = z.toJSONSchema(schema) as {
    properties?: Record<string, Record<string, unknown>>
    required?: string[]
  }
  return Object.entries(json.properties ?? {}).map(([key, p]) => {
    const secret = p.secret === true
    return {
      key,
      label: typeof p.label === 'string' ? p.label : key,
      type: secret ? 'password' : 'text',
      required: json.required?.includes(key) ?? false,
      secret,
      ...(typeof p.help === 'string' ? { help: p.help } : {}),
      ...(p.browserPattern === true && typeof p.pattern === 'string' ? { pattern: p.pattern } : {}),
    }
  })
}

/** Required keys first, then optional ones, as `ProviderClient.credentials` lists them. */
export function credentialKeys(schema: CredentialSchema): {
  required: string[]
  optional: string[]
} {
  const fields = fieldsOf(schema)
  return {
    required: fields.filter((f) => f.required).map((f) => f.key),
    optional: fields.filter((f) => !f.required).map((f) => f.key),
  }
}
