/**
 * `npm run start:bun` serves the same API on Bun (the binary the npm package `bun` brings, found
 * by scripts/bun-path.mjs), through the Node entry: the same smoke test as on Deno.
 */
import { expect, it } from 'vitest'
import { bunBinary } from '../../scripts/bun-path.mjs'
import { smokeTest } from '../helpers/smoke.js'

smokeTest('bun')

it('finds the platform binary, not the npm package placeholder', () => {
  expect(bunBinary()).toMatch(/@oven\/bun-[a-z0-9]+-[a-z0-9]+[^/]*\/bin\/bun(\.exe)?$/)
})
