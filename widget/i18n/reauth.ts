import type { ReauthMethod } from '../api/types.js'
import type { Locale } from './index.js'

/**
 * The strings of the "Confirm it's you" step (step-up). They travel in the step's lazy chunk, not
 * in widget.js, so all five locales sit here; a missing locale or key fails `tsc` as for `Strings`.
 */
export interface ReauthStrings {
  title: string
  /** Announced when the step opens. */
  status: string
  /** What to do, per factor. */
  intro: Record<ReauthMethod, string>
  /** The link that switches to a factor. */
  switchTo: Record<ReauthMethod, string>
  confirm: string
}

export const reauthStrings: Record<Locale, ReauthStrings> = {
  en: {
    title: 'Confirm it’s you',
    status: 'Confirm it’s you to continue.',
    intro: {
      sms: 'We will text a code to the phone on your account.',
      totp: 'Enter the code your authenticator app shows now.',
      backup_code: 'Enter one of your unused backup codes.',
      password: 'Enter your password.',
    },
    switchTo: {
      sms: 'Text me a code instead',
      totp: 'Use your authenticator app instead',
      backup_code: 'Use a backup code instead',
      password: 'Use your password instead',
    },
    confirm: 'Confirm',
  },
  hi: {
    title: 'पुष्टि करें कि यह आप ही हैं',
    status: 'जारी रखने के लिए पुष्टि करें कि यह आप ही हैं।',
    intro: {
      sms: 'हम आपके खाते वाले फ़ोन पर SMS से एक कोड भेजेंगे।',
      totp: 'आपका ऑथेंटिकेटर ऐप अभी जो कोड दिखा रहा है, वह दर्ज करें।',
      backup_code: 'अपना कोई ऐसा बैकअप कोड दर्ज करें जो अभी तक इस्तेमाल न हुआ हो।',
      password: 'अपना पासवर्ड दर्ज करें।',
    },
    switchTo: {
      sms: 'इसके बजाय मुझे SMS से कोड भेजें',
      totp: 'इसके बजाय ऑथेंटिकेटर ऐप इस्तेमाल करें',
      backup_code: 'इसके बजाय बैकअप कोड इस्तेमाल करें',
      password: 'इसके बजाय पासवर्ड इस्तेमाल करें',
    },
    confirm: 'पुष्टि करें',
  },
  es: {
    title: 'Confirma que eres tú',
    status: 'Confirma que eres tú para continuar.',
    intro: {
      sms: 'Te enviaremos un código por SMS al teléfono de tu cuenta.',
      totp: 'Escribe el código que muestra ahora tu app de autenticación.',
      backup_code: 'Escribe uno de tus códigos de respaldo que no hayas usado.',
      password: 'Escribe tu contraseña.',
    },
    switchTo: {
      sms: 'Mejor envíame un código por SMS',
      totp: 'Mejor usar la app de autenticación',
      backup_code: 'Mejor usar un código de respaldo',
      password: 'Mejor usar mi contraseña',
    },
    confirm: 'Confirmar',
  },
  fr: {
    title: 'Confirmez votre identité',
    status: 'Confirmez votre identité pour continuer.',
    intro: {
      sms: 'Nous allons envoyer un code par SMS au téléphone de votre compte.',
      totp: 'Saisissez le code affiché en ce moment par votre application d’authentification.',
      backup_code: 'Saisissez l’un de vos codes de secours encore inutilisés.',
      password: 'Saisissez votre mot de passe.',
    },
    switchTo: {
      sms: 'M’envoyer plutôt un code par SMS',
      totp: 'Utiliser plutôt l’application d’authentification',
      backup_code: 'Utiliser plutôt un code de secours',
      password: 'Utiliser plutôt mon mot de passe',
    },
    confirm: 'Confirmer',
  },
  ar: {
    title: 'أكّد أنك أنت',
    status: 'أكّد أنك أنت للمتابعة.',
    intro: {
      sms: 'سنرسل رمزًا في رسالة نصية إلى الهاتف المسجّل في حسابك.',
      totp: 'أدخل الرمز الذي يعرضه تطبيق المصادقة الآن.',
      backup_code: 'أدخل أحد رموزك الاحتياطية التي لم تستخدمها بعد.',
      password: 'أدخل كلمة المرور.',
    },
    switchTo: {
      sms: 'أرسل لي رمزًا في رسالة نصية بدلًا من ذلك',
      totp: 'استخدم تطبيق المصادقة بدلًا من ذلك',
      backup_code: 'استخدم رمزًا احتياطيًا بدلًا من ذلك',
      password: 'استخدم كلمة المرور بدلًا من ذلك',
    },
    confirm: 'تأكيد',
  },
}
