/**
 * Locales once: every locale of shared/locales.ts has every string on both sides, the widget's
 * (widget/i18n/<locale>.ts and the step-up strings) and the server's (edge/messages/text.ts).
 * English is the reference on each side (its type lists every string; `tsc` checks it).
 */
import { describe, expect, it } from 'vitest'
import { TEXTS } from '../../edge/messages/text.js'
import { ERRORS } from '../../shared/errors.js'
import { LOCALES, supportedLocale } from '../../shared/locales.js'
import { en } from '../../widget/i18n/en.js'
import { loadStrings } from '../../widget/i18n/index.js'
import { accountStrings } from '../../widget/i18n/account.js'
import { reauthStrings } from '../../widget/i18n/reauth.js'
import { resetStrings } from '../../widget/i18n/reset.js'

/** The strings that travel in lazy chunks, each a `Record<Locale, …>`. */
const LAZY = { reauth: reauthStrings, reset: resetStrings, account: accountStrings }

/** Every leaf of a strings object as `path: kind` (a text or a function), nested objects walked. */
function shape(o: object, prefix = ''): string[] {
  return Object.entries(o).flatMap(([k, v]): string[] =>
    typeof v === 'object' && v !== null
      ? shape(v, `${prefix}${k}.`)
      : [`${prefix}${k}: ${typeof v}`],
  )
}

/** Texts that are empty, or functions that give an empty text for a sample value. */
function blanks(o: object, prefix = ''): string[] {
  return Object.entries(o).flatMap(([k, v]): string[] => {
    if (typeof v === 'object' && v !== null) return blanks(v, `${prefix}${k}.`)
    const text = typeof v === 'function' ? String(v('Corner Shop', '1, 2, 3, 4')) : String(v)
    return text.trim() ? [] : [prefix + k]
  })
}

describe.each(LOCALES)('locale %s', (locale) => {
  it('the widget has every string English has, of the same kind, none empty', async () => {
    const mod = (await import(`../../widget/i18n/${locale}.ts`)) as Record<string, object>
    const strings = mod[locale]
    expect(strings, `widget/i18n/${locale}.ts exports \`${locale}\``).toBeTypeOf('object')
    expect(shape(strings).sort()).toEqual(shape(en).sort())
    expect(blanks(strings)).toEqual([])
    expect((strings as { lang: string }).lang.toLowerCase().split('-')[0]).toBe(locale)
  })

  it('the widget loads it (a lazy chunk per locale but English)', async () => {
    expect((await loadStrings(locale)).lang.split('-')[0]).toBe(locale)
  })

  it.each(Object.entries(LAZY))('the %s strings have it, every string English has', (_, all) => {
    expect(shape(all[locale]).sort()).toEqual(shape(all.en).sort())
    expect(blanks(all[locale])).toEqual([])
  })

  it('the server has the code, voice and notice texts English has, none empty', () => {
    const texts = TEXTS[locale]
    expect(texts, `edge/messages/text.ts TEXTS.${locale}`).toBeTypeOf('object')
    expect(shape(texts).sort()).toEqual(shape(TEXTS.en).sort())
    expect(blanks(texts)).toEqual([])
    expect(texts.code).toContain('{code}')
  })
})

describe('the locale list', () => {
  it('both sides have exactly the locales of shared/locales.ts', () => {
    expect(Object.keys(TEXTS).sort()).toEqual([...LOCALES].sort())
    for (const all of Object.values(LAZY))
      expect(Object.keys(all).sort()).toEqual([...LOCALES].sort())
  })

  it('a tag maps to a shipped locale by its language', () => {
    expect(supportedLocale('hi-IN')).toBe('hi')
    expect(supportedLocale(' ES_mx ')).toBe('es')
    expect(supportedLocale('de')).toBeUndefined()
    expect(supportedLocale(undefined)).toBeUndefined()
  })

  it('the widget words every error code of shared/errors.ts it can meet', () => {
    // Routing faults, and codes of admin routes only (widget/api/types.ts ApiErrorCode leaves both out).
    const routing = [
      'not_found',
      'method_not_allowed',
      'unsupported_media_type',
      'internal_error',
      'already_exists',
      'admin_exists',
    ]
    const codes = Object.keys(ERRORS).filter((c) => !routing.includes(c))
    expect(codes.filter((c) => !(c in en.errors))).toEqual([])
  })
})
