import { en } from './en.js'
import type { Strings } from './strings.js'

export type { Strings } from './strings.js'
export { en }

export const LOCALES = ['en', 'hi', 'es', 'fr', 'ar'] as const
export type Locale = (typeof LOCALES)[number]

// Only English ships in widget.js; the others are lazy chunks fetched when first asked for.
const loaders: Record<Exclude<Locale, 'en'>, () => Promise<Strings>> = {
  hi: () => import('./hi.js').then((m) => m.hi),
  es: () => import('./es.js').then((m) => m.es),
  fr: () => import('./fr.js').then((m) => m.fr),
  ar: () => import('./ar.js').then((m) => m.ar),
}
const loaded = new Map<Locale, Strings>([['en', en]])

/** The best supported locale for a BCP 47 tag (`hi-IN` → `hi`), or undefined. */
export function matchLocale(tag: string | null | undefined): Locale | undefined {
  const base = tag?.trim().toLowerCase().split(/[-_]/)[0]
  return LOCALES.find((l) => l === base)
}

/** Strings already in memory (English always is). */
export function stringsIfLoaded(locale: Locale): Strings | undefined {
  return loaded.get(locale)
}

export async function loadStrings(locale: Locale): Promise<Strings> {
  const have = loaded.get(locale)
  if (have) return have
  const s = await loaders[locale as Exclude<Locale, 'en'>]()
  loaded.set(locale, s)
  return s
}
