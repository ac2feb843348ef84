/**
 * widget/client/ (the browser client, also inside widget.js) and widget/react/use-session.ts pull
 * in no lit: every module they reach, following relative imports, imports neither `lit` nor
 * `@lit/*` (type-only imports included, so a later value import cannot sneak one in).
 */
import { existsSync, readFileSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'

const ROOT = resolve(import.meta.dirname, '../..')

function reach(entry: string, seen = new Map<string, string[]>()): Map<string, string[]> {
  if (seen.has(entry)) return seen
  const text = readFileSync(entry, 'utf8')
  const specs = [...text.matchAll(/(?:from|import)\s*\(?\s*'([^']+)'/g)].map((m) => m[1]!)
  seen.set(entry, specs)
  for (const s of specs.filter((x) => x.startsWith('.'))) {
    const file = join(dirname(entry), s).replace(/\.js$/, '.ts')
    if (existsSync(file)) reach(file, seen)
  }
  return seen
}

describe('the browser client', () => {
  it('reaches no lit module', () => {
    for (const entry of ['widget/client/index.ts', 'widget/react/use-session.ts']) {
      const graph = reach(join(ROOT, entry))
      expect(graph.size).toBeGreaterThan(3)
      const lit = [...graph]
        .filter(([, specs]) => specs.some((s) => s === 'lit' || /^(lit|@lit)\//.test(s)))
        .map(([f]) => relative(ROOT, f))
      expect(lit).toEqual([])
    }
  })
})
