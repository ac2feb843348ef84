/**
 * Group commit for the embedded database: the write batches asked for in one turn of the event
 * loop run as one transaction, so they share one COMMIT and write each hot page (an index's tail,
 * a counter's row) to the WAL once instead of once each. A start's COMMIT was the largest single
 * cost of its CPU (bench/profile.ts); at 10 connections several batches are ready each turn.
 *
 * What a batch sees and does is what it would have alone: the grouped batches run one after the
 * other on the one connection, in the order they were asked for, each statement seeing every write
 * before it, exactly as they would in that order as separate transactions. Nobody sees a grouped
 * write before the group commits: the embedded driver runs the whole transaction synchronously.
 * If the group fails (a constraint, a trigger's RAISE, a full disk, a lock held by another process),
 * nothing of it stays, and each batch runs again alone, so each gets its own result or its own error
 * and one batch's failure never fails another's. Only `write` batches are grouped; reads, other
 * modes and single statements go straight to the driver.
 *
 * Written here rather than taken from a library: @libsql/client offers no group commit, and this
 * is a scheduler over its public `batch()`, not a driver.
 */
import type { Client, InArgs, InStatement, ResultSet } from '@libsql/client'

type Stmt = InStatement | [string, InArgs?]

interface Pending {
  stmts: Stmt[]
  resolve: (results: ResultSet[]) => void
  reject: (err: unknown) => void
}

/** The most batches one transaction takes (the door lets 32 requests in at once). */
export const MAX_GROUP = 64

export interface GroupStats {
  /** Transactions run for grouped batches, alone or together. */
  transactions: number
  /** Write batches asked for. */
  batches: number
  /** Groups that failed and ran again one batch at a time. */
  retried: number
}

/** Wraps an embedded client so that its write batches commit in groups (see above). */
export function groupCommits(inner: Client): Client & { readonly groupStats: GroupStats } {
  const pending: Pending[] = []
  let scheduled = false
  const stats: GroupStats = { transactions: 0, batches: 0, retried: 0 }

  const alone = async (p: Pending): Promise<void> => {
    stats.transactions++
    try {
      p.resolve(await inner.batch(p.stmts, 'write'))
    } catch (err) {
      p.reject(err)
    }
  }

  const flush = async (): Promise<void> => {
    scheduled = false
    const group = pending.splice(0, MAX_GROUP)
    if (pending.length > 0) schedule()
    if (group.length === 1) return alone(group[0]!)
    stats.transactions++
    let results: ResultSet[]
    try {
      results = await inner.batch(
        group.flatMap((p) => p.stmts),
        'write',
      )
    } catch {
      // Nothing of the group stayed (the driver rolled it back): each runs again on its own.
      stats.retried++
      for (const p of group) await alone(p)
      return
    }
    let at = 0
    for (const p of group) {
      p.resolve(results.slice(at, at + p.stmts.length))
      at += p.stmts.length
    }
  }

  const schedule = (): void => {
    if (scheduled) return
    scheduled = true
    // After the I/O callbacks of this turn: every request that reached its write in them joins.
    setImmediate(() => void flush())
  }

  const batch: Client['batch'] = (stmts, mode) => {
    if (mode !== 'write' || stmts.length === 0) return inner.batch(stmts, mode)
    stats.batches++
    return new Promise<ResultSet[]>((resolve, reject) => {
      pending.push({ stmts, resolve, reject })
      schedule()
    })
  }

  return new Proxy(inner, {
    get(target, prop) {
      if (prop === 'batch') return batch
      if (prop === 'groupStats') return stats
      // The client's own members read its private fields: looked up on it, not on the proxy.
      const value = Reflect.get(target, prop) as unknown
      return typeof value === 'function'
        ? (value as (...a: unknown[]) => unknown).bind(target)
        : value
    },
  }) as Client & { readonly groupStats: GroupStats }
}
