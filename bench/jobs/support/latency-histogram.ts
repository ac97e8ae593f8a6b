/**
 * A bounded-memory latency histogram: 10 µs buckets below 100 ms, 1 ms buckets up to 10 s, one
 * overflow bucket. Percentiles are exact to the bucket width (reported as the bucket's upper edge).
 */

const FINE_LIMIT_MS = 100;
const FINE_PER_MS = 100;
const FINE_BUCKETS = FINE_LIMIT_MS * FINE_PER_MS;
const COARSE_LIMIT_MS = 10_000;
const COARSE_BUCKETS = COARSE_LIMIT_MS - FINE_LIMIT_MS;
const OVERFLOW = FINE_BUCKETS + COARSE_BUCKETS;

/** A histogram as written to a result file: non-empty buckets only. */
export interface HistogramSnapshot {
  readonly buckets: ReadonlyArray<readonly [number, number]>;
  readonly count: number;
  readonly sumMs: number;
  readonly maxMs: number;
  /** Samples below zero (clock skew between processes); counted in the first bucket. */
  readonly negative: number;
}

/** Latency percentiles in milliseconds. */
export interface LatencySummary {
  readonly samples: number;
  readonly p50Ms: number;
  readonly p90Ms: number;
  readonly p99Ms: number;
  readonly p999Ms: number;
  readonly maxMs: number;
  readonly meanMs: number;
  /** Samples below zero, which would mean the processes' clocks disagree. */
  readonly negative: number;
}

/** Records latencies in milliseconds. */
export class LatencyHistogram {
  private readonly counts = new Uint32Array(OVERFLOW + 1);
  private count = 0;
  private sumMs = 0;
  private maxMs = 0;
  private negative = 0;

  /** Adds one sample. */
  record(ms: number): void {
    let index: number;
    if (ms < FINE_LIMIT_MS) {
      if (ms < 0) {
        this.negative++;
        index = 0;
      } else {
        index = Math.floor(ms * FINE_PER_MS);
      }
    } else if (ms < COARSE_LIMIT_MS) {
      index = FINE_BUCKETS + Math.floor(ms - FINE_LIMIT_MS);
    } else {
      index = OVERFLOW;
    }
    this.counts[index]!++;
    this.count++;
    this.sumMs += ms;
    if (ms > this.maxMs) this.maxMs = ms;
  }

  /** Adds the samples of a snapshot. */
  merge(snapshot: HistogramSnapshot): void {
    for (const [index, n] of snapshot.buckets) this.counts[index]! += n;
    this.count += snapshot.count;
    this.sumMs += snapshot.sumMs;
    this.negative += snapshot.negative;
    if (snapshot.maxMs > this.maxMs) this.maxMs = snapshot.maxMs;
  }

  /** The non-empty buckets and totals, for a result file. */
  snapshot(): HistogramSnapshot {
    const buckets: Array<readonly [number, number]> = [];
    for (let i = 0; i < this.counts.length; i++) {
      const n = this.counts[i]!;
      if (n > 0) buckets.push([i, n]);
    }
    return { buckets, count: this.count, sumMs: this.sumMs, maxMs: this.maxMs, negative: this.negative };
  }

  /** The upper edge of the bucket holding quantile `q` (0 < q <= 1); 0 when empty. */
  quantileMs(q: number): number {
    if (this.count === 0) return 0;
    const rank = Math.ceil(q * this.count);
    let seen = 0;
    for (let i = 0; i < this.counts.length; i++) {
      seen += this.counts[i]!;
      if (seen >= rank) return Math.min(upperEdgeMs(i), this.maxMs);
    }
    return this.maxMs;
  }

  /** The usual percentiles, rounded to 10 µs. */
  summary(): LatencySummary {
    const round = (ms: number): number => Math.round(ms * 100) / 100;
    return {
      samples: this.count,
      p50Ms: round(this.quantileMs(0.5)),
      p90Ms: round(this.quantileMs(0.9)),
      p99Ms: round(this.quantileMs(0.99)),
      p999Ms: round(this.quantileMs(0.999)),
      maxMs: round(this.maxMs),
      meanMs: round(this.count === 0 ? 0 : this.sumMs / this.count),
      negative: this.negative,
    };
  }
}

function upperEdgeMs(index: number): number {
  if (index < FINE_BUCKETS) return (index + 1) / FINE_PER_MS;
  if (index < OVERFLOW) return FINE_LIMIT_MS + (index - FINE_BUCKETS) + 1;
  return Number.POSITIVE_INFINITY;
}
