/**
 * The guides' code is tested code: a fenced block right after `<!-- snippet: <path> -->` in any
 * docs/**\/*.md or README.md must equal that file of the repository, byte for byte (trailing
 * newline aside). The files themselves are built, type-checked or run by the tests that own them.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { join, relative } from 'node:path'
import { describe, expect, it } from 'vitest'

const root = new URL('../../', import.meta.url).pathname
const MARK = /<!--\s*snippet:\s*(\S+)\s*-->\s*\n(`{3,})[^\n]*\n([\s\S]*?)\n\2/g

function markdown(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    if (statSync(path).isDirectory()) return markdown(path)
    return name.endsWith('.md') ? [path] : []
  })
}

export function snippetsOf(text: string): { path: string; code: string }[] {
  return [...text.matchAll(MARK)].map((m) => ({ path: m[1]!, code: m[3]! }))
}

describe('doc snippets', () => {
  const files = [...markdown(join(root, 'docs')), join(root, 'README.md')]

  it('finds the marker and its fence (and nothing else)', () => {
    const text = '<!-- snippet: a/b.ts -->\n```ts\nconst x = 1\n```\n\n```ts\nnot this\n```'
    expect(snippetsOf(text)).toEqual([{ path: 'a/b.ts', code: 'const x = 1' }])
  })

  it('every marked block equals the file it names', () => {
    const wrong: string[] = []
    for (const file of files)
      for (const { path, code } of snippetsOf(readFileSync(file, 'utf8'))) {
        const where = `${relative(root, file)} → ${path}`
        if (!existsSync(join(root, path))) wrong.push(`${where}: no such file`)
        else if (readFileSync(join(root, path), 'utf8').trimEnd() !== code.trimEnd())
          wrong.push(`${where}: differs`)
      }
    expect(wrong).toEqual([])
  })
})
