/**
 * Test instrumentation, not a mock: a `Client` that runs everything on the real database it wraps
 * and writes down each statement `execute` and `batch` were given (SQL and arguments), so a test
 * can ask SQLite how it plans every query the app made.
 */
import type { Client, InArgs, InStatement, TransactionMode } from '@libsql/client'

export interface Recorded {
  sql: string
  args?: InArgs
}

type BatchItem = InStatement | [string, InArgs?]

const normal = (s: InStatement | BatchItem, args?: InArgs): Recorded => {
  if (typeof s === 'string') return { sql: s, args }
  if (Array.isArray(s)) return { sql: s[0], args: s[1] }
  return { sql: s.sql, args: s.args }
}

export function recordingClient(db: Client): { db: Client; statements: Recorded[] } {
  const statements: Recorded[] = []
  const proxy = new Proxy(db, {
    get(target, prop) {
      if (prop === 'execute')
        return (stmt: InStatement, args?: InArgs) => {
          statements.push(normal(stmt, args))
          return args === undefined ? target.execute(stmt) : target.execute(stmt as string, args)
        }
      if (prop === 'batch')
        return (stmts: BatchItem[], mode?: TransactionMode) => {
          for (const s of stmts) statements.push(normal(s))
          return target.batch(stmts, mode)
        }
      const value: unknown = Reflect.get(target, prop, target)
      return typeof value === 'function'
        ? (value as (...a: unknown[]) => unknown).bind(target)
        : value
    },
  })
  return { db: proxy, statements }
}
