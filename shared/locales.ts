/**
 * The locales sms-auth ships, declared once: the widget's strings (widget/i18n/<locale>.ts and the
 * step-up strings in widget/i18n/reauth.ts) and the server's message texts (edge/messages/text.ts)
 * are each a `Record<Locale, …>`, so a locale added here and missing on either side fails `tsc`,
 * and tests/edge/locales.test.ts checks every string of every locale on both sides.
 *
 * To add a locale: add its tag here, then follow docs/locales.md.
 */
export const LOCALES = ['en', 'hi', 'es', 'fr', 'ar'] as const
export type Locale = (typeof LOCALES)[number]

/** A BCP 47 tag as compared: trimmed, lower case, `-` between subtags (`pt_BR` → `pt-br`). */
export const lowerTag = (tag: string | null | undefined) =>
  tag?.trim().toLowerCase().replace(/_/g, '-')

/** The shipped locale for a BCP 47 tag, by its language (`hi-IN` → `hi`), or undefined. */
export function supportedLocale(tag: string | null | undefined): Locale | undefined {
  const base = lowerTag(tag)?.split('-')[0]
  return LOCALES.find((l) => l === base)
}
