import { LOCALES, lowerTag as lower, supportedLocale, type Locale } from '../../shared/locales.js'
import { en } from './en.js'
import { withStrings } from './overrides.js'
import type { StringOverrides, Strings } from './strings.js'

export type { Overridable, StringOverrides, Strings } from './strings.js'
export { en }

/** The locales the widget ships (shared/locales.ts); a site adds others with `registerLocale`. */
export { LOCALES, type Locale }

// Only English ships in widget.js; the others are lazy chunks fetched when first asked for.
const loaders: Record<Exclude<Locale, 'en'>, () => Promise<Strings>> = {
  hi: () => import('./hi.js').then((m) => m.hi),
  es: () => import('./es.js').then((m) => m.es),
  fr: () => import('./fr.js').then((m) => m.fr),
  ar: () => import('./ar.js').then((m) => m.ar),
}
const builtins = new Map<Locale, Strings>([['en', en]])
/** A site's locales (`registerLocale`), by lower-case tag. */
const custom = new Map<string, StringOverrides>()
/** Strings as served: a built-in locale with its site overrides laid on. */
const composed = new Map<string, Strings>()
const listeners = new Set<() => void>()
let version = 0

const RTL = /^(ar|arc|ckb|dv|fa|he|ku|ps|sd|ug|ur|yi)(-|$)/

/** The built-in locale for a BCP 47 tag (`hi-IN` → `hi`), or undefined. */
export const builtinLocale = supportedLocale

/**
 * The locale to use for a BCP 47 tag: one a site registered (the whole tag, then its language),
 * else a built-in one; undefined when neither fits.
 */
export function matchLocale(tag: string | null | undefined): string | undefined {
  const t = lower(tag)
  if (!t) return undefined
  if (custom.has(t)) return t
  const base = t.split('-')[0]
  return custom.has(base) ? base : builtinLocale(base)
}

/**
 * Adds a locale, or changes strings of one, without forking the widget: `registerLocale('de',
 * {...})`. Strings left out come from the built-in locale of the tag's language, else English;
 * `lang` defaults to the tag and `dir` to the script's direction. Elements already on the page
 * switch at once.
 */
export function registerLocale(tag: string, strings: StringOverrides): void {
  const [canonical] = Intl.getCanonicalLocales(tag)
  const key = canonical.toLowerCase()
  const own = builtinLocale(key) === key
  const defaults = own ? {} : { lang: canonical, dir: RTL.test(key) ? 'rtl' : 'ltr' }
  custom.set(key, { ...defaults, ...strings } as StringOverrides)
  composed.clear()
  version++
  for (const listener of listeners) listener()
}

/** Calls `listener` whenever a locale is registered; returns the unsubscribe function. */
export function onLocalesChange(listener: () => void): () => void {
  listeners.add(listener)
  return () => listeners.delete(listener)
}

/** Changes with each `registerLocale`, so strings composed before are known to be stale. */
export function localesVersion(): number {
  return version
}

/** Strings already in memory (English, and any locale based on it, always are). */
export function stringsIfLoaded(locale: string): Strings | undefined {
  const have = composed.get(locale)
  if (have) return have
  const base = builtins.get(builtinLocale(locale) ?? 'en')
  if (!base) return undefined
  const s = withStrings(base, custom.get(locale))
  composed.set(locale, s)
  return s
}

export async function loadStrings(locale: string): Promise<Strings> {
  const have = stringsIfLoaded(locale)
  if (have) return have
  const b = builtinLocale(locale) as Exclude<Locale, 'en'>
  builtins.set(b, await loaders[b]())
  return stringsIfLoaded(locale) ?? en
}
