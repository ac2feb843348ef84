/**
 * Every limit as the admin page's Policies tab lists it (GET /v1/admin/limits): the tunable ones
 * with their setting, the value in force, default and safe range (shared/limits.ts); the fixed ones
 * with their number, all drawn from policy.ts, so the page repeats no number of its own.
 */
import type { LimitView } from '../../shared/limits.js'
import type { Settings } from '../../shared/schemas.js'
import {
  GUESS_BUDGET,
  PHONE_PROBES_PER_ACCOUNT,
  PHONE_PROBES_PER_ADDRESS,
  REAUTH_WINDOW_MS,
  SENDS_PER_TEST_NUMBER,
  SENDS_PER_VERIFICATION,
  TEST_NUMBERS_MAX,
  TICKET_TTL_MS,
  TUNABLE_KEYS,
  TUNABLE_LIMITS,
  type TunableLimit,
  type Window,
} from './policy.js'

const MINUTE = 60_000

type Fixed = Omit<LimitView, 'setting' | 'group' | 'default' | 'min' | 'max' | 'divides'>

const perWindow = (w: Window) => ({ value: w.limit, windowMinutes: w.windowMs / MINUTE })

/** The limits no setting changes, with what they mean and where they come from. */
const FIXED: Fixed[] = [
  {
    label: 'Sends per verification',
    meaning: 'The first send and its resends; past it the user starts a new verification.',
    source: 'Twilio Verify: 5 sends per verification',
    unit: 'messages',
    windowMinutes: null,
    value: SENDS_PER_VERIFICATION,
  },
  {
    label: 'Failures before an account locks for good',
    meaning:
      'Consecutive failures in all, across every lock; then only a success elsewhere or an admin ' +
      '(Users tab, Unlock) ends the lock.',
    source: 'NIST SP 800-63B-4 §3.2.2 (R-32): at most 100',
    unit: 'failures',
    windowMinutes: null,
    value: GUESS_BUDGET.lockForGoodAfter,
  },
  ...GUESS_BUDGET.cooldownsMs.map((ms, i): Fixed => ({
    label: i === 0 ? 'First lock' : 'Every later lock',
    meaning: 'How long a run of consecutive failures locks the account (or number).',
    source: 'SECURITY.md decision 2: 15 minutes, then 1 hour',
    unit: 'minutes',
    windowMinutes: null,
    value: ms / MINUTE,
  })),
  {
    label: '"Phone taken" answers per account',
    meaning: 'Enrolments that may learn a number already has an account.',
    source: 'docs/security.md, Enumeration',
    unit: 'answers',
    ...perWindow(PHONE_PROBES_PER_ACCOUNT),
  },
  {
    label: '"Phone taken" answers per client address',
    meaning: 'The same, per client address.',
    source: 'docs/security.md, Enumeration',
    unit: 'answers',
    ...perWindow(PHONE_PROBES_PER_ADDRESS),
  },
  {
    label: 'Codes per test number',
    meaning:
      'Test numbers skip the send limits (nothing is sent); this bounds the rows a script makes.',
    source: 'Firebase and Clerk set none',
    unit: 'codes',
    ...perWindow(SENDS_PER_TEST_NUMBER),
  },
  {
    label: 'Test numbers',
    meaning: 'Numbers with a fixed code that may be listed.',
    source: 'Firebase allows 10',
    unit: 'numbers',
    windowMinutes: null,
    value: TEST_NUMBERS_MAX,
  },
  {
    label: 'Step-up window',
    meaning: 'A sensitive change needs a factor proven this recently.',
    source: "Clerk's reverification default",
    unit: 'minutes',
    windowMinutes: null,
    value: REAUTH_WINDOW_MS / MINUTE,
  },
  {
    label: 'Ticket lifetime',
    meaning:
      'The step after a proven first factor (registration, second factor) must follow within it.',
    source: 'SECURITY.md T16: at most 10 minutes',
    unit: 'minutes',
    windowMinutes: null,
    value: TICKET_TTL_MS / MINUTE,
  },
]

/** Every limit: the tunable ones first, with the value `settings` holds, then the fixed ones. */
export function limitsView(settings: Settings): LimitView[] {
  const tunable = TUNABLE_KEYS.map((setting): LimitView => {
    const l: TunableLimit = TUNABLE_LIMITS[setting]
    return {
      setting,
      group: l.group,
      label: l.label,
      meaning: l.meaning,
      source: l.source,
      unit: l.unit,
      windowMinutes: l.windowMinutes,
      value: settings[setting],
      default: l.default,
      min: l.min,
      max: l.max,
      divides: l.divides ?? null,
    }
  })
  const fixed = FIXED.map((f): LimitView => ({
    ...f,
    setting: null,
    group: null,
    default: f.value,
    min: null,
    max: null,
    divides: null,
  }))
  return [...tunable, ...fixed]
}
