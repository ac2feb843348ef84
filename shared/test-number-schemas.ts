/**
 * Test numbers (docs/api.md "Test numbers"): numbers the site owner lists with a fixed code, for CI
 * pipelines and app-store reviewers. Admin only: the codes are shown to the admin, never to the
 * public.
 */
import { z } from 'zod'
import { CountryCode, text } from './schemas.js'

export const TestNumber = z.object({
  /** E.164. */
  phone: z.string(),
  /** The fixed code every verification to the number uses (digits, `codeLength` long when listed). */
  code: z.string(),
  description: z.string().nullable(),
  createdAt: z.string(),
})
export type TestNumber = z.infer<typeof TestNumber>

export const TestNumberList = z.object({ testNumbers: z.array(TestNumber) })

export const TestNumberCreate = z
  .object({
    /** Any human format; with `country` as the default region (the site's default otherwise). */
    phone: text(64).min(1),
    country: CountryCode.optional(),
    /** Digits, exactly the site's `codeLength`; one is generated when absent. */
    code: z
      .string()
      .regex(/^[0-9]{4,10}$/, '4 to 10 digits')
      .optional(),
    description: text(200).trim().optional(),
  })
  .strict()
export type TestNumberCreate = z.infer<typeof TestNumberCreate>
