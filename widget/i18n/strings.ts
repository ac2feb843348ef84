import type { ErrorCode } from '../api/types.js'

/**
 * Every string the widget shows. Each locale file is typed `Strings`, so a missing or misspelt
 * key fails `tsc`.
 */
export interface Strings {
  /** BCP 47 language tag of this translation. */
  lang: string
  dir: 'ltr' | 'rtl'
  signInTitle: string
  signInTo: (site: string) => string
  phoneLabel: string
  phoneHint: string
  sendCode: string
  codeLabel: string
  codeSent: (to: string) => string
  callPlaced: (to: string) => string
  verify: string
  resendIn: (seconds: number) => string
  resend: string
  callMe: string
  changeNumber: string
  attemptsLeft: (n: number) => string
  detailsTitle: string
  detailsIntro: string
  nameLabel: string
  emailLabel: string
  createAccount: string
  mfaTitle: string
  mfaIntro: string
  totpLabel: string
  backupCodeLabel: string
  useBackupCode: string
  useTotp: string
  useSms: string
  continue: string
  signedInAs: (name: string) => string
  signOut: string
  signedOut: string
  usePassword: string
  usePhone: string
  passwordLabel: string
  signIn: string
  noAccount: string
  haveAccount: string
  loading: string
  required: string
  emailInvalid: string
  passwordShort: string
  retryIn: (seconds: number) => string
  /** One helpful sentence per error code of API.md, plus the widget's own. */
  errors: Record<ErrorCode, string>
  /** The country picker (intl-tel-input). */
  countrySearch: string
  countryList: string
  /** Keeps the literal `${dialCode}` and `${countryName}` placeholders (filled by the picker). */
  countrySelected: string
  noCountry: string
  noResults: string
  // <phone-verify>
  pvTitle: string
  pvNoPhone: string
  pvPhone: (phone: string) => string
  pvAdd: string
  pvChange: string
  pvRemove: string
  pvChangeIntro: string
  pvNewPhone: string
  pvRemoveIntro: string
  pvRemoved: string
  pvAdded: string
  pvNeedToken: string
  backupTitle: string
  backupRemaining: (n: number) => string
  backupNew: string
  backupShownOnce: string
  copy: string
  copied: string
  download: string
  totpTitle: string
  totpOn: string
  totpSetup: string
  totpReplace: string
  totpScan: string
  totpKey: string
  totpEnabled: string
  verifyNumber: string
  phoneVerified: (phone: string) => string
  mustVerify: string
  cancel: string
  done: string
  /** The country search's result count, announced as the user types (0: nothing found). */
  countryResults: (n: number) => string
}
