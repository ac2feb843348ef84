/**
 * Message texts. A code SMS ends with the origin-bound one-time-code line `@host #code`
 * (WICG sms-one-time-codes: only the last line is parsed, one space between fields), so
 * WebOTP and Safari's autofill offer the code on the site's own host only.
 */
import type { Settings } from '../../shared/schemas.js'
import { DEFAULT_SETTINGS } from '../admin/settings.js'

type Locale = 'en' | 'hi' | 'es' | 'fr' | 'ar'
export type Notice = 'phone_changed' | 'phone_removed' | 'backup_code_used'

interface Texts {
  code: string
  voice: (site: string, spaced: string) => string
  notices: Record<Notice, (site: string) => string>
}

/** The widget's locales. The admin's own template, once changed, is used as written. */
const TEXTS: Record<Locale, Texts> = {
  en: {
    code: '{code} is your {site} code.',
    voice: (site, d) => `Your ${site} code is: ${d}. Again: ${d}.`,
    notices: {
      phone_changed: (s) =>
        `The phone number on your ${s} account was changed. If this was not you, contact support.`,
      phone_removed: (s) =>
        `This number was removed from your ${s} account. If this was not you, contact support.`,
      backup_code_used: (s) =>
        `A backup code was just used on your ${s} account. If this was not you, contact support.`,
    },
  },
  hi: {
    code: '{code} आपका {site} कोड है।',
    voice: (site, d) => `आपका ${site} कोड है: ${d}. फिर से: ${d}.`,
    notices: {
      phone_changed: (s) =>
        `आपके ${s} खाते का फ़ोन नंबर बदल दिया गया है। अगर यह आपने नहीं किया, तो सहायता से संपर्क करें।`,
      phone_removed: (s) =>
        `यह नंबर आपके ${s} खाते से हटा दिया गया है। अगर यह आपने नहीं किया, तो सहायता से संपर्क करें।`,
      backup_code_used: (s) =>
        `आपके ${s} खाते पर अभी एक बैकअप कोड इस्तेमाल हुआ। अगर यह आपने नहीं किया, तो सहायता से संपर्क करें।`,
    },
  },
  es: {
    code: '{code} es tu código de {site}.',
    voice: (site, d) => `Tu código de ${site} es: ${d}. Otra vez: ${d}.`,
    notices: {
      phone_changed: (s) =>
        `Se cambió el teléfono de tu cuenta de ${s}. Si no fuiste tú, contacta con soporte.`,
      phone_removed: (s) =>
        `Este número se quitó de tu cuenta de ${s}. Si no fuiste tú, contacta con soporte.`,
      backup_code_used: (s) =>
        `Se acaba de usar un código de respaldo en tu cuenta de ${s}. Si no fuiste tú, contacta con soporte.`,
    },
  },
  fr: {
    code: '{code} est votre code {site}.',
    voice: (site, d) => `Votre code ${site} est : ${d}. Je répète : ${d}.`,
    notices: {
      phone_changed: (s) =>
        `Le numéro de votre compte ${s} a été changé. Si ce n’était pas vous, contactez le support.`,
      phone_removed: (s) =>
        `Ce numéro a été retiré de votre compte ${s}. Si ce n’était pas vous, contactez le support.`,
      backup_code_used: (s) =>
        `Un code de secours vient d’être utilisé sur votre compte ${s}. Si ce n’était pas vous, contactez le support.`,
    },
  },
  ar: {
    code: '{code} هو رمز {site} الخاص بك.',
    voice: (site, d) => `رمز ${site} الخاص بك هو: ${d}. مرة أخرى: ${d}.`,
    notices: {
      phone_changed: (s) =>
        `تم تغيير رقم الهاتف في حسابك على ${s}. إن لم تكن أنت، فتواصل مع الدعم.`,
      phone_removed: (s) => `أُزيل هذا الرقم من حسابك على ${s}. إن لم تكن أنت، فتواصل مع الدعم.`,
      backup_code_used: (s) =>
        `استُخدم للتو رمز احتياطي في حسابك على ${s}. إن لم تكن أنت، فتواصل مع الدعم.`,
    },
  },
}

function texts(locale: string | undefined): Texts {
  const base = (locale ?? 'en').toLowerCase().split('-')[0] as Locale
  return TEXTS[base] ?? TEXTS.en
}

export function codeText(
  settings: Settings,
  publicUrl: string,
  code: string,
  locale?: string,
): string {
  const host = new URL(publicUrl).hostname
  const custom = settings.messageTemplate !== DEFAULT_SETTINGS.messageTemplate
  const template = custom ? settings.messageTemplate : texts(locale).code
  const first = template
    .replaceAll('{code}', code)
    .replaceAll('{site}', settings.siteName)
    .replace(/[\r\n]+/g, ' ')
    .trim()
  return `${first}\n@${host} #${code}`
}

/** What a voice call says: the digits one by one, twice, so they can be written down. */
export function voiceText(settings: Settings, code: string, locale?: string): string {
  return texts(locale).voice(settings.siteName, code.split('').join(', '))
}

/** A notification without a code (phone changed or removed, backup code used). */
export function noticeText(notice: Notice, settings: Settings, locale?: string): string {
  return texts(locale).notices[notice](settings.siteName)
}
