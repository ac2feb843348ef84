/**
 * The action a bot challenge token is bound to (Turnstile, reCAPTCHA v3): the widget sets it when
 * it renders the challenge, the edge checks it in siteverify's answer. No zod here: widget.js
 * imports it.
 */
export const CHALLENGE_ACTION = 'sms_start'

/**
 * The purposes whose number the caller gives without a proven factor, which the challenge guards
 * (an `mfa` code needs a password first; `change_phone` and `reauth` go to the account's own
 * number); a reset asked by email is not guarded either.
 */
export const challenged = (body: { purpose: string; email?: string }): boolean =>
  (body.purpose === 'register' ||
    body.purpose === 'login' ||
    body.purpose === 'password_reset' ||
    body.purpose === 'enroll') &&
  !body.email
