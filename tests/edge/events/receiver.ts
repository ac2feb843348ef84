/**
 * A site's backend in the tests: a real HTTP server on 127.0.0.1 that checks every delivery with
 * docs/snippets/events/verify.ts (standardwebhooks' Webhook.verify) against the secrets it holds.
 */
import { verifyEvent, type SmsAuthEvent } from '../../../docs/snippets/events/verify.js'
import { listen } from '../../helpers/listen.js'

export interface Received {
  id: string
  headers: Record<string, string>
  body: string
  /** The event, as each secret the receiver holds verified it (null: refused). */
  verified: (SmsAuthEvent | null)[]
}

export async function receiver() {
  const received: Received[] = []
  let status = 200
  const secrets: string[] = []
  const server = await listen(async (req: Request) => {
    const body = await req.text()
    const headers = Object.fromEntries(req.headers)
    received.push({
      id: headers['webhook-id'] ?? '',
      headers,
      body,
      verified: secrets.map((s) => verifyEvent(s, body, headers)),
    })
    return new Response(null, { status })
  })
  return {
    url: `${server.url}/hooks`,
    received,
    secrets,
    answer(s: number) {
      status = s
    },
    close: () => server.close(),
  }
}
