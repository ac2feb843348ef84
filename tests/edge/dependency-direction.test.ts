/**
 * Issue 11, dependency direction: admin/ holds only admin routes (only the app mounts them), and
 * the users table is written only by accounts/users.ts.
 */
import { readdirSync, readFileSync } from 'node:fs'
import { join, relative, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'

const ROOT = resolve(import.meta.dirname, '../..')

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name)
    if (e.isDirectory()) return sources(p)
    return e.name.endsWith('.ts') ? [p] : []
  })
}

const files = sources(join(ROOT, 'edge')).map((f) => ({
  path: relative(ROOT, f),
  text: readFileSync(f, 'utf8'),
}))

describe('dependency direction', () => {
  it('admin/ is imported by the app alone, and holds nothing but routes', () => {
    const importers = files
      .filter((f) => !f.path.startsWith('edge/admin/'))
      .filter((f) => /from '[./]*\/?admin\//.test(f.text))
      .map((f) => f.path)
    expect(importers).toEqual(['edge/app.ts'])
    const admin = files.filter((f) => f.path.startsWith('edge/admin/')).map((f) => f.path)
    expect(admin.length).toBeGreaterThan(0)
    for (const f of admin) expect(f).toMatch(/routes\.ts$/)
  })

  it('writes the users table only in accounts/users.ts', () => {
    const writers = files
      .filter((f) => !f.path.startsWith('edge/db/migrations/'))
      .filter((f) =>
        /\b(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM|REPLACE\s+INTO)\s+users\b/i.test(f.text),
      )
      .map((f) => f.path)
    expect(writers).toEqual(['edge/accounts/users.ts'])
  })
})
