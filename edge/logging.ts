/**
 * Log levels: each event the edge logs has one (default `info`), and the runtime entry writes only
 * those at or above `SMS_AUTH_LOG_LEVEL`. Events never carry codes, secrets or full numbers.
 */
export const LOG_LEVELS = ['debug', 'info', 'warn', 'error', 'silent'] as const
export type LogLevel = (typeof LOG_LEVELS)[number]

const EVENT_LEVELS: Record<string, Exclude<LogLevel, 'silent'>> = {
  error: 'error',
  'integration.credentials_unreadable': 'error',
  'sealed.unreadable': 'error',
  'rotation.failed': 'warn',
  'webhook.previous_url': 'warn',
  db_unavailable: 'warn',
  'startup.database_unavailable': 'warn',
  'deferred.failed': 'warn',
  'shutdown.forced': 'warn',
  'maintenance.failed': 'warn',
  'webhook.refused': 'warn',
  'message.failed': 'warn',
  'message.rejected': 'warn',
  'message.unknown': 'warn',
  // Counted by the metrics on every occurrence; written only at debug.
  'db.refused': 'debug',
  'verification.started': 'debug',
  'verification.approved': 'debug',
  'limit.refused': 'debug',
}

export function levelOf(event: string): Exclude<LogLevel, 'silent'> {
  return EVENT_LEVELS[event] ?? 'info'
}

/** True when an event of `level` is written under the threshold `min`. */
export function enabled(level: LogLevel, min: LogLevel): boolean {
  return LOG_LEVELS.indexOf(level) >= LOG_LEVELS.indexOf(min)
}
