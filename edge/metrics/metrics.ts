/**
 * Prometheus metrics of one instance, in the text exposition format (version 0.0.4), derived from
 * the events the edge already logs, so no feature carries metrics code of its own. Written here
 * rather than with prom-client, which runs on Node only (the edge also runs on Deno and Workers).
 */
type Labels = Record<string, string>

/** Upper bounds of the request-duration histogram, in seconds. */
const BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]

class Counter {
  readonly values = new Map<string, number>()
  constructor(
    readonly name: string,
    readonly help: string,
  ) {}
  inc(labels: Labels, by = 1) {
    const key = labelText(labels)
    this.values.set(key, (this.values.get(key) ?? 0) + by)
  }
  render(): string[] {
    const lines = [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} counter`]
    for (const [labels, v] of this.values) lines.push(`${this.name}${labels} ${v}`)
    return lines
  }
}

class Histogram {
  readonly series = new Map<string, { labels: Labels; counts: number[]; sum: number; n: number }>()
  constructor(
    readonly name: string,
    readonly help: string,
  ) {}
  observe(labels: Labels, value: number) {
    const key = labelText(labels)
    let s = this.series.get(key)
    if (!s) this.series.set(key, (s = { labels, counts: BUCKETS.map(() => 0), sum: 0, n: 0 }))
    BUCKETS.forEach((le, i) => {
      if (value <= le) s.counts[i]!++
    })
    s.sum += value
    s.n++
  }
  render(): string[] {
    const lines = [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} histogram`]
    for (const s of this.series.values()) {
      BUCKETS.forEach((le, i) =>
        lines.push(
          `${this.name}_bucket${labelText({ ...s.labels, le: String(le) })} ${s.counts[i]}`,
        ),
      )
      lines.push(`${this.name}_bucket${labelText({ ...s.labels, le: '+Inf' })} ${s.n}`)
      lines.push(`${this.name}_sum${labelText(s.labels)} ${s.sum}`)
      lines.push(`${this.name}_count${labelText(s.labels)} ${s.n}`)
    }
    return lines
  }
}

function labelText(labels: Labels): string {
  const parts = Object.entries(labels).map(
    ([k, v]) => `${k}="${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`,
  )
  return parts.length ? `{${parts.join(',')}}` : ''
}

const text = (v: unknown, fallback = 'unknown') => (typeof v === 'string' && v ? v : fallback)

export class Metrics {
  readonly requests = new Counter(
    'sms_auth_http_requests_total',
    'API requests by route and status.',
  )
  readonly latency = new Histogram(
    'sms_auth_http_request_duration_seconds',
    'API request duration by route.',
  )
  readonly started = new Counter(
    'sms_auth_verifications_started_total',
    'Verifications started, by purpose and channel.',
  )
  readonly approved = new Counter(
    'sms_auth_verifications_approved_total',
    'Verifications approved, by purpose.',
  )
  readonly sends = new Counter('sms_auth_sends_total', 'Messages, by provider and outcome.')
  readonly refusals = new Counter('sms_auth_rate_limit_refusals_total', 'Refusals, by limit.')
  readonly dbErrors = new Counter(
    'sms_auth_database_errors_total',
    'Database calls answered 503, by reason.',
  )

  /** Counts what an event tells (events and fields as the edge logs them). */
  observe(event: string, f: Record<string, unknown> = {}): void {
    switch (event) {
      case 'request': {
        const labels = { method: text(f.method), route: text(f.route) }
        this.requests.inc({ ...labels, status: String(f.status) })
        if (typeof f.ms === 'number') this.latency.observe(labels, f.ms / 1000)
        return
      }
      case 'verification.started':
        return this.started.inc({ purpose: text(f.purpose), channel: text(f.channel) })
      case 'verification.approved':
        return this.approved.inc({ purpose: text(f.purpose) })
      case 'message.sent':
      case 'message.failed':
      case 'message.rejected':
      case 'message.unknown':
        return this.sends.inc({ provider: text(f.provider, 'none'), outcome: event.slice(8) })
      case 'limit.refused':
        return this.refusals.inc({ limit: text(f.limit) })
      case 'db.refused':
        return this.dbErrors.inc({ reason: text(f.reason) })
    }
  }

  render(): string {
    const all = [this.requests, this.latency, this.started, this.approved, this.sends]
    return [...all, this.refusals, this.dbErrors].flatMap((m) => m.render()).join('\n') + '\n'
  }
}
