import type { Strings } from './strings.js'

// Unicode's isolates (LEFT-TO-RIGHT ISOLATE … POP DIRECTIONAL ISOLATE): a `<bdi dir="ltr">` that
// also works inside plain strings, live-region announcements included.
const LRI = '\u2066'
const PDI = '\u2069'
/** A phone number as typed, in E.164 or masked, or a code: digits, "+", separators, mask dots. */
const NUMBER = /^(?=.*\d)[+\d\s•*·().\-]+$/

type Message = (...args: unknown[]) => string
const cache = new WeakMap<Strings, Strings>()

/**
 * Right-to-left strings with every number passed to a message kept left to right, so that in
 * Arabic `+1 202…` does not read `…202 1+` and a mask `+91•••••••210` is not reversed.
 */
export function isolateNumbers(strings: Strings): Strings {
  // In a left-to-right text the numbers already read left to right.
  if (strings.dir !== 'rtl') return strings
  let out = cache.get(strings)
  if (!out) {
    const wrap =
      (fn: Message): Message =>
      (...args) =>
        fn(...args.map((a) => (typeof a === 'string' && NUMBER.test(a) ? LRI + a + PDI : a)))
    const entries = Object.entries(strings).map(([k, v]) => [
      k,
      typeof v === 'function' ? wrap(v as Message) : v,
    ])
    out = Object.fromEntries(entries) as Strings
    cache.set(strings, out)
  }
  return out
}
