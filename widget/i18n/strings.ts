import type { ErrorCode } from '../api/types.js'
import type { AccountStrings } from './account.js'
import type { ReauthStrings } from './reauth.js'
import type { ResetStrings } from './reset.js'

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
  /** The bot challenge's dialog (widget/challenge.ts). */
  challengeTitle: string
  challengeCancel: string
  required: string
  emailInvalid: string
  passwordShort: string
  retryIn: (seconds: number) => string
  /** One helpful sentence per error code of docs/api.md, plus the widget's own. */
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
  // <sms-login> and the code entry: recovery and the second step
  /** After a resend: the same code again (docs/security.md: a resend re-sends the one code). */
  codeResent: (to: string) => string
  /** After a locked or expired verification: a new verification, so a new code. */
  newCodeSent: (to: string) => string
  /** A wrong code that was the verification's last try (`attemptsLeft: 0`). */
  noAttemptsLeft: string
  /** The second step's link to the account password (after an SMS code). */
  useAccountPassword: string
  copyFailed: string
  /** Form mode: the mark beside a verified number. */
  verified: string
  /**
   * Overrides of the "Confirm it's you" step, whose own strings travel in its lazy chunk. No
   * translation sets it; a site's `strings` (or `registerLocale`) may.
   */
  reauth?: Overridable<ReauthStrings>
  /** The country search's result count, announced as the user types (0: nothing found). */
  countryResults: (n: number) => string
  /** The password step's link to a reset by SMS. */
  forgotPassword: string
  /** `invalid_request` on a `password` field: too short or too common (registration, reset, change). */
  passwordWeak: string
  /** Overrides of the password reset's strings (in its lazy chunk, like `reauth`). */
  reset?: Overridable<ResetStrings>
  /** Overrides of `<phone-verify account>`'s profile, devices and deletion strings (lazy too). */
  account?: Overridable<AccountStrings>
}

/**
 * A site's value for a string: a string that takes a value (`codeSent(to)`) may be given as a text
 * whose `{…}` placeholder stands for it (`'Code sent to {to}.'`), so JSON can carry it; objects
 * (`errors`, `reauth`) are merged key by key.
 */
export type Overridable<T> = T extends (value: never) => string
  ? T | string
  : T extends object
    ? { [K in keyof T]?: Overridable<T[K]> }
    : T

/** What the `strings` property, a `<script type="application/json">` child or `registerLocale` take. */
export type StringOverrides = { [K in keyof Strings]?: Overridable<Strings[K]> }
