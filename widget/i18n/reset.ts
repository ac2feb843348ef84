import type { Locale } from './index.js'

/**
 * The strings of `<sms-login>`'s password reset ("Forgot password?"). They travel in the reset's
 * lazy chunk, not in widget.js, so all five locales sit here; a missing locale or key fails `tsc`
 * as for `Strings`, and tests/edge/locales.test.ts checks none is empty.
 */
export interface ResetStrings {
  title: string
  intro: string
  /** The links between the two ways to find the account. */
  useEmail: string
  usePhone: string
  /** Where a code went when the user gave an email: the number is never shown (`to` is null). */
  emailSent: string
  emailResent: string
  emailNewCode: string
  emailCalling: string
  /** The code step's way back to the first step. */
  otherWay: string
  back: string
  passwordIntro: string
  newPassword: string
  /** An account with an authenticator app: the reset still asks for it (or a backup code). */
  factorIntro: string
  save: string
  /** The reset ticket expired or was used (`unauthorized`). */
  expired: string
  startAgain: string
}

export const resetStrings: Record<Locale, ResetStrings> = {
  en: {
    title: 'Reset your password',
    intro: 'Enter the phone number or the email of your account. We will text a code to its phone.',
    useEmail: 'Use your email address instead',
    usePhone: 'Use your phone number instead',
    emailSent: 'If an account with a verified phone matches, we sent a code to its phone.',
    emailResent: 'If an account matches, we sent the code again to its phone.',
    emailNewCode: 'If an account matches, we sent a new code to its phone.',
    emailCalling: 'If an account matches, we are calling its phone to read the code.',
    otherWay: 'Use a different number or email',
    back: 'Back to sign in',
    passwordIntro: 'Choose a new password. Your other devices will be signed out.',
    newPassword: 'New password',
    factorIntro: 'Your account also uses an authenticator app: enter its code or a backup code.',
    save: 'Set password and sign in',
    expired: 'This reset has expired or was already used. Start again.',
    startAgain: 'Start again',
  },
  hi: {
    title: 'अपना पासवर्ड रीसेट करें',
    intro: 'अपने खाते का फ़ोन नंबर या ईमेल दर्ज करें। हम उसके फ़ोन पर SMS से एक कोड भेजेंगे।',
    useEmail: 'इसके बजाय अपना ईमेल पता इस्तेमाल करें',
    usePhone: 'इसके बजाय अपना फ़ोन नंबर इस्तेमाल करें',
    emailSent: 'अगर सत्यापित फ़ोन वाला कोई खाता मेल खाता है, तो हमने उसके फ़ोन पर कोड भेजा है।',
    emailResent: 'अगर कोई खाता मेल खाता है, तो हमने उसके फ़ोन पर कोड फिर से भेजा है।',
    emailNewCode: 'अगर कोई खाता मेल खाता है, तो हमने उसके फ़ोन पर नया कोड भेजा है।',
    emailCalling: 'अगर कोई खाता मेल खाता है, तो हम कोड पढ़कर सुनाने के लिए उसके फ़ोन पर कॉल कर रहे हैं।',
    otherWay: 'कोई दूसरा नंबर या ईमेल इस्तेमाल करें',
    back: 'साइन इन पर वापस जाएँ',
    passwordIntro: 'नया पासवर्ड चुनें। आपके दूसरे डिवाइस साइन आउट हो जाएँगे।',
    newPassword: 'नया पासवर्ड',
    factorIntro: 'आपका खाता ऑथेंटिकेटर ऐप भी इस्तेमाल करता है: उसका कोड या कोई बैकअप कोड दर्ज करें।',
    save: 'पासवर्ड सेट करें और साइन इन करें',
    expired: 'यह रीसेट समाप्त हो गया है या पहले ही इस्तेमाल हो चुका है। फिर से शुरू करें।',
    startAgain: 'फिर से शुरू करें',
  },
  es: {
    title: 'Restablece tu contraseña',
    intro:
      'Escribe el número de teléfono o el correo de tu cuenta. Enviaremos un código por SMS a su teléfono.',
    useEmail: 'Usar mi correo electrónico',
    usePhone: 'Usar mi número de teléfono',
    emailSent:
      'Si coincide una cuenta con un teléfono verificado, enviamos un código a ese teléfono.',
    emailResent: 'Si coincide una cuenta, volvimos a enviar el código a su teléfono.',
    emailNewCode: 'Si coincide una cuenta, enviamos un código nuevo a su teléfono.',
    emailCalling: 'Si coincide una cuenta, estamos llamando a su teléfono para leer el código.',
    otherWay: 'Usar otro número o correo',
    back: 'Volver a iniciar sesión',
    passwordIntro: 'Elige una contraseña nueva. Se cerrará la sesión en tus otros dispositivos.',
    newPassword: 'Contraseña nueva',
    factorIntro:
      'Tu cuenta también usa una app de autenticación: escribe su código o un código de respaldo.',
    save: 'Guardar contraseña e iniciar sesión',
    expired: 'Este restablecimiento caducó o ya se usó. Empieza de nuevo.',
    startAgain: 'Empezar de nuevo',
  },
  fr: {
    title: 'Réinitialisez votre mot de passe',
    intro:
      'Saisissez le numéro de téléphone ou l’e-mail de votre compte. Nous enverrons un code par SMS à son téléphone.',
    useEmail: 'Utiliser plutôt mon adresse e-mail',
    usePhone: 'Utiliser plutôt mon numéro de téléphone',
    emailSent:
      'Si un compte avec un téléphone vérifié correspond, nous avons envoyé un code à ce téléphone.',
    emailResent: 'Si un compte correspond, nous avons renvoyé le code à son téléphone.',
    emailNewCode: 'Si un compte correspond, nous avons envoyé un nouveau code à son téléphone.',
    emailCalling: 'Si un compte correspond, nous appelons son téléphone pour lire le code.',
    otherWay: 'Utiliser un autre numéro ou e-mail',
    back: 'Retour à la connexion',
    passwordIntro: 'Choisissez un nouveau mot de passe. Vos autres appareils seront déconnectés.',
    newPassword: 'Nouveau mot de passe',
    factorIntro:
      'Votre compte utilise aussi une application d’authentification : saisissez son code ou un code de secours.',
    save: 'Enregistrer et se connecter',
    expired: 'Cette réinitialisation a expiré ou a déjà servi. Recommencez.',
    startAgain: 'Recommencer',
  },
  ar: {
    title: 'أعد تعيين كلمة المرور',
    intro: 'أدخل رقم الهاتف أو البريد الإلكتروني لحسابك. سنرسل رمزًا في رسالة نصية إلى هاتفه.',
    useEmail: 'استخدم بريدك الإلكتروني بدلًا من ذلك',
    usePhone: 'استخدم رقم هاتفك بدلًا من ذلك',
    emailSent: 'إذا تطابق حساب له هاتف موثّق، فقد أرسلنا رمزًا إلى هاتفه.',
    emailResent: 'إذا تطابق حساب، فقد أعدنا إرسال الرمز إلى هاتفه.',
    emailNewCode: 'إذا تطابق حساب، فقد أرسلنا رمزًا جديدًا إلى هاتفه.',
    emailCalling: 'إذا تطابق حساب، فنحن نتصل بهاتفه لقراءة الرمز.',
    otherWay: 'استخدم رقمًا أو بريدًا إلكترونيًا آخر',
    back: 'العودة إلى تسجيل الدخول',
    passwordIntro: 'اختر كلمة مرور جديدة. سيتم تسجيل خروج أجهزتك الأخرى.',
    newPassword: 'كلمة المرور الجديدة',
    factorIntro: 'يستخدم حسابك أيضًا تطبيق مصادقة: أدخل رمزه أو رمزًا احتياطيًا.',
    save: 'احفظ كلمة المرور وسجّل الدخول',
    expired: 'انتهت صلاحية إعادة التعيين هذه أو استُخدمت من قبل. ابدأ من جديد.',
    startAgain: 'ابدأ من جديد',
  },
}
