/**
 * hash-wasm's `argon2id` and `argon2Verify`, as edge/accounts/password.ts calls them, on
 * @noble/hashes' Argon2id in plain JavaScript: the Workers bundle takes this module in hash-wasm's
 * place (scripts/workers-bundle.mjs). hash-wasm compiles its WebAssembly at run time, which workerd
 * forbids ("Wasm code generation disallowed by embedder"). Same algorithm, same PHC strings
 * (`$argon2id$v=19$m=…,t=…,p=…$salt$hash`), so a hash made on Node verifies on a Worker and back;
 * about 0.4 s of CPU per hash at OWASP's m = 19 MiB, t = 2 (hash-wasm: 0.07 s).
 */
import { argon2id as nobleArgon2id } from '@noble/hashes/argon2.js'

interface HashOptions {
  password: string
  salt: Uint8Array
  memorySize: number
  iterations: number
  parallelism: number
  hashLength: number
  outputType: 'encoded'
}

/** PHC strings use standard base64 without padding. */
function b64(bytes: Uint8Array): string {
  let bin = ''
  for (const b of bytes) bin += String.fromCharCode(b)
  return btoa(bin).replace(/=+$/, '')
}

function unb64(text: string): Uint8Array {
  return Uint8Array.from(atob(text), (ch) => ch.charCodeAt(0))
}

function derive(password: string, salt: Uint8Array, m: number, t: number, p: number, len: number) {
  return nobleArgon2id(new TextEncoder().encode(password), salt, { m, t, p, dkLen: len })
}

export async function argon2id(o: HashOptions): Promise<string> {
  const hash = derive(o.password, o.salt, o.memorySize, o.iterations, o.parallelism, o.hashLength)
  return `$argon2id$v=19$m=${o.memorySize},t=${o.iterations},p=${o.parallelism}$${b64(o.salt)}$${b64(hash)}`
}

const PHC = /^\$argon2id\$v=19\$m=(\d+),t=(\d+),p=(\d+)\$([A-Za-z0-9+/]+)\$([A-Za-z0-9+/]+)$/

export async function argon2Verify(o: { password: string; hash: string }): Promise<boolean> {
  const m = PHC.exec(o.hash)
  if (!m) throw new Error('not an Argon2id PHC string')
  const expected = unb64(m[5]!)
  const got = derive(
    o.password,
    unb64(m[4]!),
    Number(m[1]),
    Number(m[2]),
    Number(m[3]),
    expected.length,
  )
  // Constant time over the digest (equal lengths by construction).
  let diff = 0
  for (let i = 0; i < expected.length; i++) diff |= expected[i]! ^ got[i]!
  return diff === 0
}
