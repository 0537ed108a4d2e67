import { Injectable, Optional } from '@nestjs/common';
import type { Counter, Histogram } from 'prom-client';
import { TrafficObserver } from '../traffic/traffic-observer';
import { LATENCY_BUCKETS } from './latency-buckets';

/** The part of a prom-client 15 histogram series the table writes at scrape time. */
interface HistogramEntry {
  labels: Record<string, string>;
  bucketValues: Record<string, number>;
  sum: number;
  count: number;
}

/** One series of `golb_requests_total` and `golb_request_duration_seconds`: its slot and its exports. */
export class RequestSeries {
  constructor(
    readonly slot: number,
    readonly labels: Record<string, string>,
    /** The counter's child, advanced by what was counted since the last scrape. */
    readonly counter: Counter.Internal,
    /** The histogram's own entry, overwritten with the table's numbers at scrape time. */
    readonly histogram: HistogramEntry,
  ) {}
}

const BUCKETS = LATENCY_BUCKETS.length;

/**
 * Requests and their latencies, counted into pre-sized typed arrays: one slot per
 * (backend, method, status) series, so recording a finished request is three array writes and a
 * short bucket search — no label hashing or validation per request (prom-client's labelled child
 * costs ~3.7 µs). prom-client reads the arrays only when /metrics is scraped (`flushCounter`,
 * `flushHistogram`, called from the metrics' `collect`), so the exposition text, names, labels
 * and buckets are exactly prom-client's.
 */
@Injectable()
export class RequestTable {
  private capacity = 256;
  private counts = new Float64Array(this.capacity);
  private exported = new Float64Array(this.capacity);
  private sums = new Float64Array(this.capacity);
  /** Per slot, per bucket (not cumulative): how many latencies fell into it; +Inf is the count. */
  private buckets = new Float64Array(this.capacity * BUCKETS);
  private readonly live: Array<RequestSeries | null> = [];
  private readonly free: number[] = [];

  constructor(@Optional() private readonly traffic?: TrafficObserver) {}

  /** A new series: its slot starts at 0 in the arrays and in both metrics. */
  open(labels: Record<string, string>, requests: Counter<string>, duration: Histogram<string>): RequestSeries {
    const slot = this.free.pop() ?? this.live.length;
    if (slot >= this.capacity) this.grow();
    this.counts[slot] = 0;
    this.exported[slot] = 0;
    this.sums[slot] = 0;
    this.buckets.fill(0, slot * BUCKETS, (slot + 1) * BUCKETS);
    const counter = requests.labels(labels);
    counter.inc(0);
    duration.labels(labels); // validates the label set, as the counter's child did
    duration.zero(labels);
    const series = new RequestSeries(slot, labels, counter, histogramEntry(duration, labels));
    this.live[slot] = series;
    return series;
  }

  /** A finished request: O(1), allocates nothing. */
  record(slot: number, seconds: number): void {
    this.counts[slot]++;
    this.sums[slot] += seconds;
    let bucket = 0;
    while (bucket < BUCKETS && seconds > LATENCY_BUCKETS[bucket]) bucket++;
    if (bucket < BUCKETS) this.buckets[slot * BUCKETS + bucket]++;
  }

  /** The series was removed from both metrics (its backend left): its slot can be reused. */
  close(series: RequestSeries): void {
    if (this.live[series.slot] !== series) return;
    this.live[series.slot] = null;
    this.free.push(series.slot);
  }

  /** At scrape time: advances each counter child by what was counted since the last scrape. */
  flushCounter(): void {
    this.traffic?.beforeRead();
    for (const series of this.live) {
      if (series === null) continue;
      const slot = series.slot;
      const delta = this.counts[slot] - this.exported[slot];
      if (delta > 0) {
        series.counter.inc(delta);
        this.exported[slot] = this.counts[slot];
      }
    }
  }

  /** At scrape time: writes each histogram series' buckets, sum and count. */
  flushHistogram(): void {
    this.traffic?.beforeRead();
    for (const series of this.live) {
      if (series === null) continue;
      const slot = series.slot;
      const entry = series.histogram;
      const base = slot * BUCKETS;
      for (let i = 0; i < BUCKETS; i++) entry.bucketValues[LATENCY_BUCKETS[i]] = this.buckets[base + i];
      entry.sum = this.sums[slot];
      entry.count = this.counts[slot];
    }
  }

  private grow(): void {
    const capacity = this.capacity * 2;
    this.counts = copyInto(new Float64Array(capacity), this.counts);
    this.exported = copyInto(new Float64Array(capacity), this.exported);
    this.sums = copyInto(new Float64Array(capacity), this.sums);
    this.buckets = copyInto(new Float64Array(capacity * BUCKETS), this.buckets);
    this.capacity = capacity;
  }
}

function copyInto(target: Float64Array<ArrayBuffer>, source: Float64Array): Float64Array<ArrayBuffer> {
  target.set(source);
  return target;
}

/** The entry `zero(labels)` just created (prom-client keeps the labels object it was given). */
function histogramEntry(duration: Histogram<string>, labels: Record<string, string>): HistogramEntry {
  const map = (duration as unknown as { hashMap: Record<string, HistogramEntry> }).hashMap;
  for (const entry of Object.values(map)) if (entry.labels === labels) return entry;
  throw new Error(`prom-client did not create the series ${JSON.stringify(labels)}`);
}
