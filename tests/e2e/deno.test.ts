/**
 * `npm run start:deno` serves the same API: register by phone and sign in, on Deno 2; the
 * password policy's dictionaries load there too. On its embedded database, and over a libSQL
 * server on kept streams.
 */
import { smokeTest } from '../helpers/smoke.js'

smokeTest('deno')
smokeTest('deno', 'sqld')
