// A fixed-bucket histogram for one label set, kept as plain numbers so recording a request is a
// few additions, and rendered in Prometheus text with its labels prepared once.

/** kube's request and etcd latency buckets, in seconds. */
const latencyBuckets: readonly number[] = [0.005, 0.025, 0.05, 0.1, 0.2, 0.4, 0.6, 0.8, 1.0, 1.25, 1.5, 2, 3, 4, 5, 6, 8, 10, 15, 20, 30, 45, 60];

export class LatencyHistogram {
  private readonly counts = new Float64Array(latencyBuckets.length);
  private sum = 0;
  private count = 0;

  /** @param labels rendered `a="x",b="y"` text of this series' labels */
  constructor(readonly labels: string) {}

  observe(seconds: number): void {
    this.sum += seconds;
    this.count++;
    for (let i = 0; i < latencyBuckets.length; i++) {
      if (seconds <= latencyBuckets[i]!) {
        this.counts[i]!++;
        return;
      }
    }
  }

  /** Appends the _bucket, _sum and _count lines; bucket counts are cumulative as Prometheus expects. */
  render(name: string, out: string[]): void {
    let cumulative = 0;
    const sep = this.labels ? ',' : '';
    for (let i = 0; i < latencyBuckets.length; i++) {
      cumulative += this.counts[i]!;
      out.push(`${name}_bucket{${this.labels}${sep}le="${latencyBuckets[i]!}"} ${cumulative}`);
    }
    out.push(`${name}_bucket{${this.labels}${sep}le="+Inf"} ${this.count}`);
    out.push(`${name}_sum{${this.labels}} ${this.sum}`);
    out.push(`${name}_count{${this.labels}} ${this.count}`);
  }
}

/** Renders label pairs with Prometheus' escaping of backslash, quote and newline. */
export function renderLabels(pairs: readonly (readonly [string, string])[]): string {
  return pairs.map(([k, v]) => `${k}="${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`).join(',');
}
