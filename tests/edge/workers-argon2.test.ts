/**
 * The Workers bundle's Argon2id (edge/workers/argon2.ts, @noble/hashes in hash-wasm's place): the
 * same PHC strings as hash-wasm, so accounts move between a Worker and a Node instance.
 */
import { argon2id as wasmHash, argon2Verify as wasmVerify } from 'hash-wasm'
import { describe, expect, it } from 'vitest'
import { argon2id, argon2Verify } from '../../edge/workers/argon2.js'

// Cheap parameters: the format is what is tested here, not the cost.
const PARAMS = { memorySize: 64, iterations: 2, parallelism: 1, hashLength: 32 } as const
const salt = Uint8Array.from({ length: 16 }, (_, i) => i * 7)

describe('Argon2id on Workers', () => {
  it('writes the PHC string hash-wasm writes, byte for byte', async () => {
    const ours = await argon2id({
      password: 'violet tugboat',
      salt,
      ...PARAMS,
      outputType: 'encoded',
    })
    const theirs = await wasmHash({
      password: 'violet tugboat',
      salt,
      ...PARAMS,
      outputType: 'encoded',
    })
    expect(ours).toBe(theirs)
    expect(ours).toMatch(/^\$argon2id\$v=19\$m=64,t=2,p=1\$[A-Za-z0-9+/]+\$[A-Za-z0-9+/]+$/)
  })

  it("verifies hash-wasm's hashes, and hash-wasm verifies its hashes", async () => {
    const fromWasm = await wasmHash({
      password: 'harmonica 58',
      salt,
      ...PARAMS,
      outputType: 'encoded',
    })
    expect(await argon2Verify({ password: 'harmonica 58', hash: fromWasm })).toBe(true)
    expect(await argon2Verify({ password: 'harmonica 59', hash: fromWasm })).toBe(false)
    const fromNoble = await argon2id({
      password: 'harmonica 58',
      salt,
      ...PARAMS,
      outputType: 'encoded',
    })
    expect(await wasmVerify({ password: 'harmonica 58', hash: fromNoble })).toBe(true)
  })

  it('refuses what is no Argon2id PHC string (password.ts reads that as a mismatch)', async () => {
    await expect(
      argon2Verify({ password: 'x', hash: '$argon2i$v=19$m=64,t=2,p=1$AAAA$AAAA' }),
    ).rejects.toThrow()
    await expect(argon2Verify({ password: 'x', hash: 'plain' })).rejects.toThrow()
  })
})
