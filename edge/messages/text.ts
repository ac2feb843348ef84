/**
 * Message texts. A code SMS ends with the origin-bound one-time-code line `@host #code`
 * (WICG sms-one-time-codes: only the last line is parsed, one space between fields), so
 * WebOTP and Safari's autofill offer the code on that host only: the page's own host when the
 * start came from an allowed origin (http/origin.ts webOtpHost), else the public URL's.
 */
import { supportedLocale, type Locale } from '../../shared/locales.js'
import type { Settings } from '../../shared/schemas.js'
import { DEFAULT_SETTINGS } from '../settings/settings.js'

export type Notice =
  | 'phone_changed'
  | 'phone_removed'
  | 'backup_code_used'
  | 'backup_codes_new'
  | 'totp_enabled'
  | 'totp_replaced'
  | 'totp_disabled'
  | 'account_locked'
  | 'password_reset'
  | 'password_changed'
  | 'email_changed'

export interface Texts {
  code: string
  voice: (site: string, spaced: string) => string
  notices: Record<Notice, (site: string) => string>
}

/**
 * One entry per locale of shared/locales.ts (a missing one fails `tsc`; a missing text fails
 * tests/edge/locales.test.ts). The admin's own template, once changed, is used as written.
 */
export const TEXTS: Record<Locale, Texts> = {
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
      backup_codes_new: (s) =>
        `New backup codes were made for your ${s} account; the old ones no longer work. If this was not you, contact support.`,
      totp_enabled: (s) =>
        `An authenticator app was added to your ${s} account. If this was not you, contact support.`,
      totp_replaced: (s) =>
        `The authenticator app on your ${s} account was replaced. If this was not you, contact support.`,
      totp_disabled: (s) =>
        `The authenticator app was removed from your ${s} account. If this was not you, contact support.`,
      account_locked: (s) =>
        `Too many wrong codes or passwords were entered for your ${s} account, so sign-in is paused for a while. If this was not you, contact support.`,
      password_reset: (s) =>
        `The password of your ${s} account was reset and every other sign-in was ended. If this was not you, contact support.`,
      password_changed: (s) =>
        `The password of your ${s} account was changed. If this was not you, contact support.`,
      email_changed: (s) =>
        `The email address of your ${s} account was changed. If this was not you, contact support.`,
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
      backup_codes_new: (s) =>
        `आपके ${s} खाते के लिए नए बैकअप कोड बनाए गए; पुराने अब काम नहीं करेंगे। अगर यह आपने नहीं किया, तो सहायता से संपर्क करें।`,
      totp_enabled: (s) =>
        `आपके ${s} खाते में एक ऑथेंटिकेटर ऐप जोड़ा गया। अगर यह आपने नहीं किया, तो सहायता से संपर्क करें।`,
      totp_replaced: (s) =>
        `आपके ${s} खाते का ऑथेंटिकेटर ऐप बदल दिया गया। अगर यह आपने नहीं किया, तो सहायता से संपर्क करें।`,
      totp_disabled: (s) =>
        `आपके ${s} खाते से ऑथेंटिकेटर ऐप हटा दिया गया। अगर यह आपने नहीं किया, तो सहायता से संपर्क करें।`,
      account_locked: (s) =>
        `आपके ${s} खाते के लिए बहुत बार गलत कोड या पासवर्ड डाले गए, इसलिए साइन-इन कुछ समय के लिए रोका गया है। अगर यह आपने नहीं किया, तो सहायता से संपर्क करें।`,
      password_reset: (s) =>
        `आपके ${s} खाते का पासवर्ड रीसेट किया गया और बाकी सभी साइन-इन खत्म कर दिए गए। अगर यह आपने नहीं किया, तो सहायता से संपर्क करें।`,
      password_changed: (s) =>
        `आपके ${s} खाते का पासवर्ड बदल दिया गया है। अगर यह आपने नहीं किया, तो सहायता से संपर्क करें।`,
      email_changed: (s) =>
        `आपके ${s} खाते का ईमेल पता बदल दिया गया है। अगर यह आपने नहीं किया, तो सहायता से संपर्क करें।`,
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
      backup_codes_new: (s) =>
        `Se crearon códigos de respaldo nuevos para tu cuenta de ${s}; los anteriores ya no sirven. Si no fuiste tú, contacta con soporte.`,
      totp_enabled: (s) =>
        `Se añadió una app de autenticación a tu cuenta de ${s}. Si no fuiste tú, contacta con soporte.`,
      totp_replaced: (s) =>
        `Se reemplazó la app de autenticación de tu cuenta de ${s}. Si no fuiste tú, contacta con soporte.`,
      totp_disabled: (s) =>
        `Se quitó la app de autenticación de tu cuenta de ${s}. Si no fuiste tú, contacta con soporte.`,
      account_locked: (s) =>
        `Se introdujeron demasiados códigos o contraseñas erróneos en tu cuenta de ${s}, así que el acceso queda en pausa un tiempo. Si no fuiste tú, contacta con soporte.`,
      password_reset: (s) =>
        `Se restableció la contraseña de tu cuenta de ${s} y se cerraron las demás sesiones. Si no fuiste tú, contacta con soporte.`,
      password_changed: (s) =>
        `Se cambió la contraseña de tu cuenta de ${s}. Si no fuiste tú, contacta con soporte.`,
      email_changed: (s) =>
        `Se cambió el correo electrónico de tu cuenta de ${s}. Si no fuiste tú, contacta con soporte.`,
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
      backup_codes_new: (s) =>
        `De nouveaux codes de secours ont été créés pour votre compte ${s} ; les anciens ne marchent plus. Si ce n’était pas vous, contactez le support.`,
      totp_enabled: (s) =>
        `Une application d’authentification a été ajoutée à votre compte ${s}. Si ce n’était pas vous, contactez le support.`,
      totp_replaced: (s) =>
        `L’application d’authentification de votre compte ${s} a été remplacée. Si ce n’était pas vous, contactez le support.`,
      totp_disabled: (s) =>
        `L’application d’authentification a été retirée de votre compte ${s}. Si ce n’était pas vous, contactez le support.`,
      account_locked: (s) =>
        `Trop de codes ou de mots de passe erronés ont été saisis pour votre compte ${s} : la connexion est suspendue un moment. Si ce n’était pas vous, contactez le support.`,
      password_reset: (s) =>
        `Le mot de passe de votre compte ${s} a été réinitialisé et les autres connexions ont été fermées. Si ce n’était pas vous, contactez le support.`,
      password_changed: (s) =>
        `Le mot de passe de votre compte ${s} a été changé. Si ce n’était pas vous, contactez le support.`,
      email_changed: (s) =>
        `L’adresse e-mail de votre compte ${s} a été changée. Si ce n’était pas vous, contactez le support.`,
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
      backup_codes_new: (s) =>
        `أُنشئت رموز احتياطية جديدة لحسابك على ${s}، ولم تعد الرموز القديمة صالحة. إن لم تكن أنت، فتواصل مع الدعم.`,
      totp_enabled: (s) => `أُضيف تطبيق مصادقة إلى حسابك على ${s}. إن لم تكن أنت، فتواصل مع الدعم.`,
      totp_replaced: (s) =>
        `استُبدل تطبيق المصادقة في حسابك على ${s}. إن لم تكن أنت، فتواصل مع الدعم.`,
      totp_disabled: (s) =>
        `أُزيل تطبيق المصادقة من حسابك على ${s}. إن لم تكن أنت، فتواصل مع الدعم.`,
      account_locked: (s) =>
        `أُدخلت رموز أو كلمات مرور خاطئة كثيرة لحسابك على ${s}، لذا أُوقف تسجيل الدخول مؤقتًا. إن لم تكن أنت، فتواصل مع الدعم.`,
      password_reset: (s) =>
        `أُعيد تعيين كلمة مرور حسابك على ${s} وأُنهيت جلسات الدخول الأخرى. إن لم تكن أنت، فتواصل مع الدعم.`,
      password_changed: (s) => `تم تغيير كلمة مرور حسابك على ${s}. إن لم تكن أنت، فتواصل مع الدعم.`,
      email_changed: (s) =>
        `تم تغيير البريد الإلكتروني لحسابك على ${s}. إن لم تكن أنت، فتواصل مع الدعم.`,
    },
  },
}

function texts(locale: string | undefined): Texts {
  return TEXTS[supportedLocale(locale) ?? 'en']
}

/** The host of the public URL: the WebOTP line's host unless a verification names another. */
export const publicHost = (publicUrl: string) => new URL(publicUrl).hostname

/** A code SMS: the text of the locale (or the admin's template), then `@host #code`. */
export function codeText(settings: Settings, host: string, code: string, locale?: string): string {
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
