/**
 * Server CPU of a process tree (Linux /proc): user + system time of every process of a group, so
 * that a load run can report CPU milliseconds per request beside its throughput.
 */
import { readFileSync } from 'node:fs'
import { groupMembers } from '../tests/helpers/spawn.js'

/** Clock ticks per second of /proc/<pid>/stat (USER_HZ, 100 on Linux). */
const TICKS_PER_SECOND = 100

function ticks(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    // utime and stime are fields 14 and 15 of stat(5), 12 and 13 after pid and comm.
    return Number(fields[11]) + Number(fields[12])
  } catch {
    return 0
  }
}

/** CPU milliseconds used so far by the live processes of the groups `pgids`. */
export function cpuMs(pgids: readonly number[]): number {
  let total = 0
  for (const pgid of pgids) for (const pid of groupMembers(pgid)) total += ticks(pid)
  return (total * 1000) / TICKS_PER_SECOND
}
