import type { Locale } from './index.js'

/**
 * The strings of `<phone-verify account>`'s profile, devices and deletion sections. They travel
 * in the signed-in view's lazy chunk, not in widget.js, so all five locales sit here; a missing
 * locale or key fails `tsc` as for `Strings`, and tests/edge/locales.test.ts checks none is empty.
 */
export interface AccountStrings {
  profileTitle: string
  noEmail: string
  editProfile: string
  save: string
  profileSaved: string
  passwordOn: string
  passwordOff: string
  setPassword: string
  changePassword: string
  currentPassword: string
  newPassword: string
  passwordSaved: string
  devicesTitle: string
  thisDevice: string
  lastUsed: (when: string) => string
  signOutOthers: string
  signedOutDevice: string
  signedOutOthers: (n: number) => string
  deleteTitle: string
  deleteIntro: string
  deleteStart: string
  /** The word to type to confirm a deletion, in capitals. */
  deleteWord: string
  deleteConfirm: (word: string) => string
  deleteMismatch: (word: string) => string
  deleteNow: string
  deleted: string
}

export const accountStrings: Record<Locale, AccountStrings> = {
  en: {
    profileTitle: 'Profile',
    noEmail: 'No email address',
    editProfile: 'Edit name and email',
    save: 'Save',
    profileSaved: 'Your profile was saved.',
    passwordOn: 'You can also sign in with your email and password.',
    passwordOff: 'No password yet: you sign in with your phone.',
    setPassword: 'Set a password',
    changePassword: 'Change password',
    currentPassword: 'Current password',
    newPassword: 'New password',
    passwordSaved: 'Your password was saved. Your other devices were signed out.',
    devicesTitle: 'Your devices',
    thisDevice: 'This device',
    lastUsed: (when) => `Last used ${when}`,
    signOutOthers: 'Sign out everywhere else',
    signedOutDevice: 'That device was signed out.',
    signedOutOthers: (n) =>
      n === 1 ? 'Signed out of 1 other device.' : `Signed out of ${n} other devices.`,
    deleteTitle: 'Delete account',
    deleteIntro:
      'Deleting your account removes your profile, your phone and your sign-in methods, and signs you out everywhere. It cannot be undone.',
    deleteStart: 'Delete my account…',
    deleteWord: 'DELETE',
    deleteConfirm: (word) => `Type ${word} to confirm`,
    deleteMismatch: (word) => `Type ${word} exactly to confirm.`,
    deleteNow: 'Delete my account for good',
    deleted: 'Your account was deleted.',
  },
  hi: {
    profileTitle: 'प्रोफ़ाइल',
    noEmail: 'कोई ईमेल पता नहीं',
    editProfile: 'नाम और ईमेल बदलें',
    save: 'सहेजें',
    profileSaved: 'आपकी प्रोफ़ाइल सहेज ली गई।',
    passwordOn: 'आप अपने ईमेल और पासवर्ड से भी साइन इन कर सकते हैं।',
    passwordOff: 'अभी कोई पासवर्ड नहीं है: आप अपने फ़ोन से साइन इन करते हैं।',
    setPassword: 'पासवर्ड सेट करें',
    changePassword: 'पासवर्ड बदलें',
    currentPassword: 'मौजूदा पासवर्ड',
    newPassword: 'नया पासवर्ड',
    passwordSaved: 'आपका पासवर्ड सहेज लिया गया। आपके दूसरे डिवाइस साइन आउट कर दिए गए।',
    devicesTitle: 'आपके डिवाइस',
    thisDevice: 'यह डिवाइस',
    lastUsed: (when) => `पिछली बार इस्तेमाल: ${when}`,
    signOutOthers: 'बाकी सभी जगह से साइन आउट करें',
    signedOutDevice: 'वह डिवाइस साइन आउट कर दिया गया।',
    signedOutOthers: (n) =>
      n === 1 ? '1 दूसरा डिवाइस साइन आउट किया गया।' : `${n} दूसरे डिवाइस साइन आउट किए गए।`,
    deleteTitle: 'खाता हटाएँ',
    deleteIntro:
      'खाता हटाने से आपकी प्रोफ़ाइल, फ़ोन और साइन-इन के तरीके हट जाते हैं, और आप हर जगह से साइन आउट हो जाते हैं। इसे वापस नहीं किया जा सकता।',
    deleteStart: 'मेरा खाता हटाएँ…',
    deleteWord: 'हटाएँ',
    deleteConfirm: (word) => `पुष्टि के लिए ${word} लिखें`,
    deleteMismatch: (word) => `पुष्टि के लिए ठीक ${word} लिखें।`,
    deleteNow: 'मेरा खाता हमेशा के लिए हटाएँ',
    deleted: 'आपका खाता हटा दिया गया।',
  },
  es: {
    profileTitle: 'Perfil',
    noEmail: 'Sin correo electrónico',
    editProfile: 'Editar nombre y correo',
    save: 'Guardar',
    profileSaved: 'Se guardó tu perfil.',
    passwordOn: 'También puedes iniciar sesión con tu correo y contraseña.',
    passwordOff: 'Aún no tienes contraseña: inicias sesión con tu teléfono.',
    setPassword: 'Crear una contraseña',
    changePassword: 'Cambiar contraseña',
    currentPassword: 'Contraseña actual',
    newPassword: 'Contraseña nueva',
    passwordSaved: 'Se guardó tu contraseña. Se cerró la sesión en tus otros dispositivos.',
    devicesTitle: 'Tus dispositivos',
    thisDevice: 'Este dispositivo',
    lastUsed: (when) => `Último uso: ${when}`,
    signOutOthers: 'Cerrar sesión en todos los demás',
    signedOutDevice: 'Se cerró la sesión en ese dispositivo.',
    signedOutOthers: (n) =>
      n === 1
        ? 'Se cerró la sesión en 1 dispositivo más.'
        : `Se cerró la sesión en ${n} dispositivos más.`,
    deleteTitle: 'Eliminar cuenta',
    deleteIntro:
      'Al eliminar tu cuenta se borran tu perfil, tu teléfono y tus formas de iniciar sesión, y se cierra la sesión en todas partes. No se puede deshacer.',
    deleteStart: 'Eliminar mi cuenta…',
    deleteWord: 'ELIMINAR',
    deleteConfirm: (word) => `Escribe ${word} para confirmar`,
    deleteMismatch: (word) => `Escribe exactamente ${word} para confirmar.`,
    deleteNow: 'Eliminar mi cuenta para siempre',
    deleted: 'Se eliminó tu cuenta.',
  },
  fr: {
    profileTitle: 'Profil',
    noEmail: 'Aucune adresse e-mail',
    editProfile: 'Modifier le nom et l’e-mail',
    save: 'Enregistrer',
    profileSaved: 'Votre profil a été enregistré.',
    passwordOn: 'Vous pouvez aussi vous connecter avec votre e-mail et votre mot de passe.',
    passwordOff: 'Pas encore de mot de passe : vous vous connectez avec votre téléphone.',
    setPassword: 'Définir un mot de passe',
    changePassword: 'Changer le mot de passe',
    currentPassword: 'Mot de passe actuel',
    newPassword: 'Nouveau mot de passe',
    passwordSaved: 'Votre mot de passe a été enregistré. Vos autres appareils ont été déconnectés.',
    devicesTitle: 'Vos appareils',
    thisDevice: 'Cet appareil',
    lastUsed: (when) => `Dernière utilisation : ${when}`,
    signOutOthers: 'Se déconnecter partout ailleurs',
    signedOutDevice: 'Cet appareil a été déconnecté.',
    signedOutOthers: (n) =>
      n === 1 ? '1 autre appareil a été déconnecté.' : `${n} autres appareils ont été déconnectés.`,
    deleteTitle: 'Supprimer le compte',
    deleteIntro:
      'Supprimer votre compte efface votre profil, votre téléphone et vos moyens de connexion, et vous déconnecte partout. C’est définitif.',
    deleteStart: 'Supprimer mon compte…',
    deleteWord: 'SUPPRIMER',
    deleteConfirm: (word) => `Saisissez ${word} pour confirmer`,
    deleteMismatch: (word) => `Saisissez exactement ${word} pour confirmer.`,
    deleteNow: 'Supprimer définitivement mon compte',
    deleted: 'Votre compte a été supprimé.',
  },
  ar: {
    profileTitle: 'الملف الشخصي',
    noEmail: 'لا يوجد بريد إلكتروني',
    editProfile: 'تعديل الاسم والبريد الإلكتروني',
    save: 'حفظ',
    profileSaved: 'تم حفظ ملفك الشخصي.',
    passwordOn: 'يمكنك أيضًا تسجيل الدخول ببريدك الإلكتروني وكلمة المرور.',
    passwordOff: 'لا توجد كلمة مرور بعد: تسجّل الدخول بهاتفك.',
    setPassword: 'عيّن كلمة مرور',
    changePassword: 'غيّر كلمة المرور',
    currentPassword: 'كلمة المرور الحالية',
    newPassword: 'كلمة المرور الجديدة',
    passwordSaved: 'تم حفظ كلمة المرور. تم تسجيل خروج أجهزتك الأخرى.',
    devicesTitle: 'أجهزتك',
    thisDevice: 'هذا الجهاز',
    lastUsed: (when) => `آخر استخدام: ${when}`,
    signOutOthers: 'تسجيل الخروج من كل الأجهزة الأخرى',
    signedOutDevice: 'تم تسجيل خروج ذلك الجهاز.',
    signedOutOthers: (n) =>
      n === 1 ? 'تم تسجيل خروج جهاز آخر واحد.' : `تم تسجيل خروج ${n} من الأجهزة الأخرى.`,
    deleteTitle: 'حذف الحساب',
    deleteIntro:
      'يؤدي حذف حسابك إلى إزالة ملفك الشخصي وهاتفك وطرق تسجيل الدخول، وتسجيل خروجك من كل مكان. لا يمكن التراجع عن ذلك.',
    deleteStart: 'احذف حسابي…',
    deleteWord: 'حذف',
    deleteConfirm: (word) => `اكتب ${word} للتأكيد`,
    deleteMismatch: (word) => `اكتب ${word} كما هي تمامًا للتأكيد.`,
    deleteNow: 'احذف حسابي نهائيًا',
    deleted: 'تم حذف حسابك.',
  },
}
