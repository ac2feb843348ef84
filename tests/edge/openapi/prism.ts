/**
 * Prism's validation proxy (`prism proxy <doc> <upstream> --errors`) in front of a real edge:
 * every answer it passes on is checked against the OpenAPI document, and a violation (a status,
 * header or body the document does not describe) comes back in `sl-violations`.
 */
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { freePort } from '../../helpers/sqld.js'
import { root } from '../../helpers/server.js'
import { spawnGuarded, type GuardedProcess } from '../../helpers/spawn.js'

export interface Prism {
  url: string
  proc: GuardedProcess
}

/** Starts Prism on a free port for the document at `docFile`, once it forwards requests. */
export async function startPrism(docFile: string, upstream: string): Promise<Prism> {
  const port = await freePort()
  const bin = join(root, 'node_modules/.bin/prism')
  const args = ['proxy', docFile, upstream, '--errors', '--host', '127.0.0.1', '--port', `${port}`]
  const proc = spawnGuarded(bin, args, { env: { ...process.env, NO_COLOR: '1' } })
  const url = `http://127.0.0.1:${port}`
  const deadline = Date.now() + 30_000
  while (Date.now() < deadline) {
    const ready = await fetch(`${url}/v1/config`).then(
      (r) => r.status === 200,
      () => false,
    )
    if (ready) return { url, proc }
    // Polling for readiness, not waiting for a result: Prism has no readiness signal but this.
    await sleep(100)
  }
  await proc.close()
  throw new Error(`Prism did not start within 30 s:\n${proc.output()}`)
}

/** The served document, as a file Prism reads. */
export async function saveDocument(upstream: string, dir: string): Promise<string> {
  const file = join(dir, 'openapi.json')
  await writeFile(file, await (await fetch(`${upstream}/v1/openapi.json`)).text())
  return file
}

export interface Answer {
  status: number
  headers: Headers
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any
  /** What Prism found wrong with the answer (or with the request it refused). */
  violations: unknown[]
  /** Prism answered itself (the request broke the document) rather than forwarding. */
  refusedByPrism: boolean
}

export async function send(
  base: string,
  method: string,
  path: string,
  init: { body?: string; headers?: Record<string, string> } = {},
): Promise<Answer> {
  const res = await fetch(base + path, { method, body: init.body, headers: init.headers })
  const text = await res.text()
  const body = text && /json/.test(res.headers.get('content-type') ?? '') ? JSON.parse(text) : text
  const header = res.headers.get('sl-violations')
  const refusedByPrism =
    typeof body?.type === 'string' && body.type.startsWith('https://stoplight.io/prism/errors')
  const violations: unknown[] = header ? JSON.parse(header) : []
  if (refusedByPrism) violations.push(...(body.validation ?? [body.title]))
  return { status: res.status, headers: res.headers, body, violations, refusedByPrism }
}
