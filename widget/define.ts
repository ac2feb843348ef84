// The widget.js entry: defines <sms-login> and <phone-verify> (once, even if loaded twice).
import { PhoneVerify } from './phone-verify/phone-verify.js'
import { SmsLogin } from './sms-login/sms-login.js'

export * from './index.js'
// The browser client, so a script-tag page can `import { getSession } from '…/widget.js'`.
export {
  getAccessToken,
  getClient,
  getSession,
  onSessionChange,
  signOut,
  REFRESH_MARGIN_MS,
} from './client/index.js'

if (!customElements.get('sms-login')) customElements.define('sms-login', SmsLogin)
if (!customElements.get('phone-verify')) customElements.define('phone-verify', PhoneVerify)
