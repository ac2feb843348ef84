/**
 * Password hashing: Argon2id from hash-wasm (WebAssembly, so the same code runs on Node and Deno),
 * with OWASP's parameters m = 19 MiB, t = 2, p = 1.
 */
import { argon2id, argon2Verify } from 'hash-wasm'
import { randomBytes } from '../crypto/random.js'
import { ApiError } from '../http/errors.js'
import { passwordProblem } from './common-passwords.js'

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

/**
 * The password policy of registration, reset and change (common-passwords.ts): `invalid_request`
 * with `errors: [{path: "password"}]` when refused. `userInputs`: the account's name and email,
 * which a password should not be built from.
 */
export async function assertStrongPassword(password: string, userInputs: string[] = []) {
  const problem = await passwordProblem(password, userInputs)
  if (problem)
    throw new ApiError('invalid_request', 'Choose a stronger password.', {
      errors: [{ path: 'password', message: problem }],
    })
}
