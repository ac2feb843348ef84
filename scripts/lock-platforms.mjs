// The npm registry mirror on our machines lacks the packages of other platforms (deno's and
// rollup's darwin/win32/… builds answer 404), so `npm install` leaves them out of the lock and
// `npm ci` then refuses the lock as out of sync. This adds placeholder entries for them, marked
// optional and fenced by os/cpu, which npm ci skips on every platform they are not for.
// Run after `npm install` changes the lock: node scripts/lock-platforms.mjs
import { readFileSync, writeFileSync } from 'node:fs'

const lock = JSON.parse(readFileSync('package-lock.json', 'utf8'))
const packages = lock.packages
let added = 0
for (const [path, meta] of Object.entries(packages)) {
  for (const [name, version] of Object.entries(meta.optionalDependencies ?? {})) {
    const where = `${path ? path + '/' : ''}node_modules/${name}`
    if (packages[where] || packages[`node_modules/${name}`]) continue
    const parts = name.split('/').pop().split('-')
    const os = [
      'darwin',
      'win32',
      'linux',
      'android',
      'freebsd',
      'openbsd',
      'openharmony',
      'netbsd',
      'sunos',
      'aix',
    ].find((o) => parts.includes(o))
    const cpu = ['arm64', 'x64', 'ia32', 'arm', 'loong64', 'ppc64', 'riscv64', 's390x'].find((c) =>
      parts.includes(c),
    )
    const entry = { version: version.replace(/^[\^~=]/, ''), dev: meta.dev, optional: true }
    if (os) entry.os = [os]
    if (cpu) entry.cpu = [cpu === 'arm' ? 'arm' : cpu]
    if (os === 'linux' && parts.includes('musl')) entry.libc = ['musl']
    if ((os === 'linux' && parts.includes('gnu')) || parts.includes('glibc')) entry.libc = ['glibc']
    packages[`node_modules/${name}`] = entry
    added++
  }
}
writeFileSync('package-lock.json', JSON.stringify(lock, null, 2) + '\n')
console.log(`lock-platforms: added ${added} placeholder entries`)
