// A tiny Prometheus registry (counters, gauges, histograms) rendered in the text exposition format 0.0.4.
// The keeper has a handful of series; a dependency would be heavier than this file.
type Labels = Record<string, string>;

const key = (labels: Labels) =>
  Object.keys(labels)
    .sort()
    .map((k) => `${k}="${String(labels[k]).replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`)
    .join(',');

abstract class Metric {
  constructor(
    readonly name: string,
    readonly help: string,
    readonly type: 'counter' | 'gauge' | 'histogram',
  ) {}
  abstract lines(): string[];
}

export class Counter extends Metric {
  private readonly values = new Map<string, number>();
  constructor(name: string, help: string) {
    super(name, help, 'counter');
  }
  inc(labels: Labels = {}, by = 1): void {
    const k = key(labels);
    this.values.set(k, (this.values.get(k) ?? 0) + by);
  }
  get(labels: Labels = {}): number {
    return this.values.get(key(labels)) ?? 0;
  }
  lines(): string[] {
    if (this.values.size === 0) return [`${this.name} 0`];
    return [...this.values].map(([k, v]) => `${this.name}${k ? `{${k}}` : ''} ${v}`);
  }
}

export class Gauge extends Metric {
  private readonly values = new Map<string, number>();
  constructor(name: string, help: string) {
    super(name, help, 'gauge');
  }
  set(value: number, labels: Labels = {}): void {
    this.values.set(key(labels), value);
  }
  get(labels: Labels = {}): number | undefined {
    return this.values.get(key(labels));
  }
  lines(): string[] {
    return [...this.values].map(([k, v]) => `${this.name}${k ? `{${k}}` : ''} ${v}`);
  }
}

export class Histogram extends Metric {
  private readonly counts: number[];
  private sum = 0;
  private count = 0;
  constructor(
    name: string,
    help: string,
    readonly buckets: number[],
  ) {
    super(name, help, 'histogram');
    this.counts = buckets.map(() => 0);
  }
  observe(value: number): void {
    this.sum += value;
    this.count += 1;
    this.buckets.forEach((b, i) => {
      if (value <= b) this.counts[i]! += 1;
    });
  }
  get total(): number {
    return this.count;
  }
  lines(): string[] {
    return [
      ...this.buckets.map((b, i) => `${this.name}_bucket{le="${b}"} ${this.counts[i]}`),
      `${this.name}_bucket{le="+Inf"} ${this.count}`,
      `${this.name}_sum ${this.sum}`,
      `${this.name}_count ${this.count}`,
    ];
  }
}

/** Every series the keeper exports. One instance per process (or per test). */
export function createMetrics() {
  const m = {
    jobsRouted: new Counter('necto_keeper_jobs_routed_total', 'Routing decisions committed on-chain (all rounds).'),
    commits: new Counter('necto_keeper_commits_total', 'commitRoute outcomes by result (mined, already_done, reverted).'),
    failures: new Counter('necto_keeper_failures_total', 'Failures by stage (decide, commit, intake, no_candidate).'),
    reroutes: new Counter('necto_keeper_reroutes_total', 'Re-routes started after a missed start deadline or a rejection.'),
    routeLatency: new Histogram(
      'necto_keeper_route_latency_seconds',
      'From the job event reaching the keeper to its commit being mined.',
      [0.25, 0.5, 1, 2, 3, 5, 10, 30, 60],
    ),
    decideLatency: new Histogram('necto_keeper_decide_latency_seconds', 'Time spent in the routing agent per decision.', [
      0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30,
    ]),
    intakeLag: new Gauge('necto_keeper_intake_lag_blocks', 'Chain head minus the intake cursor.'),
    cursorBlock: new Gauge('necto_keeper_intake_cursor_block', 'Last block fully handled by the intake.'),
    headBlock: new Gauge('necto_keeper_chain_head_block', 'Latest chain block seen.'),
    reorgs: new Counter('necto_keeper_reorgs_total', 'Chain reorganisations detected by the intake.'),
    txRetries: new Counter('necto_keeper_tx_retries_total', 'Transaction send or receipt retries by reason.'),
    txPending: new Gauge('necto_keeper_tx_pending', 'Transactions queued or awaiting a receipt.'),
    httpRequests: new Counter('necto_keeper_http_requests_total', 'HTTP requests by route and status class.'),
    rateLimited: new Counter('necto_keeper_http_rate_limited_total', 'Requests refused with 429.'),
  };
  const all: Metric[] = Object.values(m);
  return {
    ...m,
    render(): string {
      const out: string[] = [];
      for (const metric of all) {
        out.push(`# HELP ${metric.name} ${metric.help}`, `# TYPE ${metric.name} ${metric.type}`, ...metric.lines());
      }
      return out.join('\n') + '\n';
    },
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
