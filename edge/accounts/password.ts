/**
 * Password hashing: Argon2id from hash-wasm (WebAssembly, so the same code runs on Node and Deno),
 * with OWASP's parameters m = 19 MiB, t = 2, p = 1.
 */
import { argon2id, argon2Verify } from 'hash-wasm'
import { randomBytes } from '../crypto/random.js'
import { COMMON_PASSWORDS } from './common-passwords.js'

const PARAMS = { memorySize: 19456, iterations: 2, parallelism: 1, hashLength: 32 }

export async function hashPassword(password: string): Promise<string> {
  return argon2id({ password, salt: randomBytes(16), ...PARAMS, outputType: 'encoded' })
}

export async function verifyPassword(password: string, encoded: string): Promise<boolean> {
  try {
    return await argon2Verify({ password, hash: encoded })
  } catch {
    return false
  }
}

let dummy: Promise<string> | undefined
/** Spends the same time as a real check, for unknown emails (no timing oracle). */
export async function verifyDummy(password: string): Promise<false> {
  dummy ??= hashPassword('not-a-real-password')
  await verifyPassword(password, await dummy)
  return false
}

export function isCommonPassword(password: string): boolean {
  return COMMON_PASSWORDS.has(password.toLowerCase())
}
