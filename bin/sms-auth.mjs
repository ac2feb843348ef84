#!/usr/bin/env node
/**
 * `npx sms-auth`: the built server of an installed package, in production mode unless
 * SMS_AUTH_MODE says otherwise (it then needs SMS_AUTH_SECRET, SMS_AUTH_ADMIN_TOKEN and
 * SMS_AUTH_PUBLIC_URL).
 */
process.env.SMS_AUTH_MODE ??= 'production'
await import('../dist/node.js')
