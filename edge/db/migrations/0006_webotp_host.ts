/**
 * The host a verification's code SMS names on its WebOTP line (`@host #code`, edge/messages/text.ts):
 * the page's host when the start came from an origin the admin listed in `allowedOrigins`
 * (edge/http/origin.ts webOtpHost), so a resend from anywhere names the same one. Null (every row
 * before this migration too): the public URL's host. Self-contained: it only adds.
 */
export default `
ALTER TABLE verifications ADD COLUMN webotp_host TEXT;
`
