/**
 * The password policy (docs/security.md, Passwords): 8 to 128 characters (the schema), not one of
 * the ~49 000 passwords of zxcvbn-ts's common-passwords dictionary (NIST SP 800-63B §3.1.1.2: refuse
 * values known to be commonly used), and a zxcvbn score of at least 2. One function for
 * registration, reset and change. The dictionaries (about 1 MB) load on the first check, once.
 */
import { ZxcvbnFactory } from '@zxcvbn-ts/core'

/** zxcvbn's 0–4 scale: below this a password is refused ("too guessable"). */
export const MIN_PASSWORD_SCORE = 2

interface Checker {
  common: Set<string>
  zxcvbn: ZxcvbnFactory
}

let loading: Promise<Checker> | undefined

function checker(): Promise<Checker> {
  loading ??= import('@zxcvbn-ts/language-common').then(({ dictionary, adjacencyGraphs }) => ({
    common: new Set(dictionary['passwords-common']),
    zxcvbn: new ZxcvbnFactory({ dictionary, graphs: adjacencyGraphs }),
  }))
  // A failed load is not kept: the next check tries again.
  loading.catch(() => (loading = undefined))
  return loading
}

/** The account's own words: each input whole, and its parts (a name's, an email's local part's). */
const words = (inputs: string[]) =>
  [...new Set(inputs.flatMap((s) => [s, ...s.toLowerCase().split(/[^\p{L}\p{N}]+/u)]))].filter(
    (w) => w.length >= 3,
  )

/** Why the password is refused (a sentence for `errors[].message`), or null when it is accepted. */
export async function passwordProblem(
  password: string,
  userInputs: string[] = [],
): Promise<string | null> {
  const { common, zxcvbn } = await checker()
  if (common.has(password.toLowerCase())) return 'This password is too common.'
  // zxcvbn's cost grows with the length; past 100 characters the prefix decides.
  const result = zxcvbn.check(password.slice(0, 100), words(userInputs))
  if (result.score < MIN_PASSWORD_SCORE) return 'This password is too easy to guess.'
  return null
}
