/**
 * A fake of the three bot challenges (Cloudflare Turnstile, hCaptcha, reCAPTCHA v3) on one origin,
 * their documented paths kept: the browser script (`/turnstile/v0/api.js`, `/1/api.js`,
 * `/recaptcha/api.js`) and siteverify (`/turnstile/v0/siteverify`, `/siteverify`,
 * `/recaptcha/api/siteverify`), form-encoded as the real ones take it.
 *
 * A token is `fake.<base64url JSON {sitekey, hostname, action, score}>`: the fake script makes one
 * on the page (its hostname, the action the page gave) when the user clicks its box, and a test
 * can make any with `token()`. Siteverify answers as the providers document: `success`,
 * `hostname`, `action` (Turnstile, reCAPTCHA), `score` (reCAPTCHA), `error-codes`. It passes a
 * token again unless `rejectDuplicates` (the providers do refuse one; our own replay guard is
 * what the tests check). Fail modes: `server-error` (500), `hang`, `bad-key` (the secret refused).
 */
import { startFake, type Fake, type FakeRequest, type Reply } from './server.js'

export const SITE_KEY = '1x00000000000000000000AA'
export const SECRET_KEY = '1x0000000000000000000000000000000AA'

export interface TokenClaims {
  sitekey?: string
  hostname?: string
  action?: string
  score?: number
}

export function token(c: TokenClaims = {}): string {
  const claims = { sitekey: SITE_KEY, hostname: '127.0.0.1', action: 'sms_start', score: 0.9, ...c }
  const nonce = Math.random().toString(36).slice(2)
  return `fake.${Buffer.from(JSON.stringify({ ...claims, nonce })).toString('base64url')}`
}

export interface SiteverifyFake extends Fake {
  /** Siteverify calls received, their form fields. */
  verifications(): URLSearchParams[]
  /** Script loads received. */
  scriptLoads(): number
  rejectDuplicates: boolean
}

const SCRIPTS = new Set(['/turnstile/v0/api.js', '/1/api.js', '/recaptcha/api.js'])
const VERIFY: Record<string, 'turnstile' | 'hcaptcha' | 'recaptcha'> = {
  '/turnstile/v0/siteverify': 'turnstile',
  '/siteverify': 'hcaptcha',
  '/recaptcha/api/siteverify': 'recaptcha',
}

export async function startSiteverify(secret = SECRET_KEY): Promise<SiteverifyFake> {
  const seen = new Set<string>()
  let self: SiteverifyFake
  const fake = await startFake((req, mode) => {
    if (req.method === 'GET' && SCRIPTS.has(req.path))
      return { status: 200, body: script(req.path), contentType: 'text/javascript' }
    const provider = VERIFY[req.path]
    if (!provider || req.method !== 'POST') return { status: 404, body: 'not found' }
    if (mode === 'server-error') return { status: 500, body: 'upstream error' }
    return verify(req, provider, mode === 'bad-key' ? `not-${secret}` : secret, seen, self)
  })
  self = Object.assign(fake, {
    rejectDuplicates: false,
    verifications: () =>
      fake.requests.filter((r) => VERIFY[r.path]).map((r) => new URLSearchParams(r.body)),
    scriptLoads: () => fake.requests.filter((r) => SCRIPTS.has(r.path)).length,
  })
  return self
}

function verify(
  req: FakeRequest,
  provider: string,
  secret: string,
  seen: Set<string>,
  fake: SiteverifyFake,
): Reply {
  const form = new URLSearchParams(req.body)
  const fail = (code: string): Reply => ({
    status: 200,
    body: { success: false, 'error-codes': [code] },
  })
  if (!form.get('secret')) return fail('missing-input-secret')
  if (form.get('secret') !== secret) return fail('invalid-input-secret')
  const response = form.get('response') ?? ''
  let claims: TokenClaims
  try {
    if (!response.startsWith('fake.')) throw new Error('not ours')
    claims = JSON.parse(Buffer.from(response.slice(5), 'base64url').toString('utf8'))
  } catch {
    return fail('invalid-input-response')
  }
  if (claims.sitekey !== SITE_KEY) return fail('invalid-input-response')
  if (seen.has(response) && fake.rejectDuplicates) return fail('timeout-or-duplicate')
  seen.add(response)
  const body: Record<string, unknown> = {
    success: true,
    challenge_ts: new Date().toISOString(),
    hostname: claims.hostname,
    'error-codes': [],
  }
  if (provider !== 'hcaptcha') body.action = claims.action
  if (provider === 'recaptcha') body.score = claims.score
  return { status: 200, body }
}

/** The browser script: a box to click (Turnstile, hCaptcha) or an invisible execute (reCAPTCHA). */
function script(path: string): string {
  const make = `function make(sitekey, action) {
    var c = { sitekey: sitekey, hostname: location.hostname, action: action || '', score: 0.9,
      nonce: Math.random().toString(36).slice(2) };
    return 'fake.' + btoa(JSON.stringify(c)).replace(/\\+/g, '-').replace(/\\//g, '_').replace(/=+$/, '');
  }`
  if (path === '/recaptcha/api.js')
    return `(function () { ${make}
      window.grecaptcha = { ready: function (cb) { cb() },
        execute: function (key, o) { return Promise.resolve(make(key, o && o.action)) } };
    })();`
  const global = path === '/1/api.js' ? 'hcaptcha' : 'turnstile'
  return `(function () { ${make}
    window.${global} = {
      render: function (el, o) {
        var b = document.createElement('button');
        b.type = 'button'; b.textContent = 'I am human'; b.className = 'fake-challenge';
        b.onclick = function () { o.callback(make(o.sitekey, o.action)) };
        el.appendChild(b);
        return 'w1';
      },
      reset: function () {}, remove: function () {}
    };
  })();`
}
