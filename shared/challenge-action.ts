/**
 * The action a bot challenge token is bound to (Turnstile, reCAPTCHA v3): the widget sets it when
 * it renders the challenge, the edge checks it in siteverify's answer. No zod here: widget.js
 * imports it.
 */
export const CHALLENGE_ACTION = 'sms_start'
