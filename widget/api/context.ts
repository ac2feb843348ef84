import { createContext } from '@lit/context'
import type { SmsAuthApi } from './client.js'

/** The API client travels by context: a page (or a test) may provide its own. */
export const apiContext = createContext<SmsAuthApi>(Symbol.for('sms-auth-api'))
