import type { LatencyView } from '@loadex/api';

/** Seconds of history behind `rps` and the latency percentiles. */
export const WINDOW_SECONDS = 10;
const WINDOW_MS = WINDOW_SECONDS * 1000;
/** One slot per second of the window, plus the second in progress. */
const SLOTS = WINDOW_SECONDS + 1;

/**
 * Recent traffic of one backend (or of all of them): a ring of per-second request counters for
 * requests/s, and a ring of the most recent latencies (with their times) for percentiles.
 * Everything is allocated up front; `record` is O(1) and allocates nothing.
 */
export class RequestWindow {
  private readonly slotSecond = new Float64Array(SLOTS).fill(-1);
  private readonly slotCount = new Uint32Array(SLOTS);
  private readonly latencyMs: Float64Array;
  private readonly latencyAt: Float64Array;
  private next = 0;
  private filled = 0;

  constructor(
    /** How many recent latencies are kept: the percentiles cover at most this many requests. */
    readonly capacity: number,
    /** When counting started, so the first seconds are not averaged over a full window. */
    private readonly startedAtMs: number,
  ) {
    this.latencyMs = new Float64Array(capacity);
    this.latencyAt = new Float64Array(capacity);
  }

  record(nowMs: number, latencyMs: number): void {
    this.count(nowMs);
    this.latencyMs[this.next] = latencyMs;
    this.latencyAt[this.next] = nowMs;
    this.next = (this.next + 1) % this.capacity;
    if (this.filled < this.capacity) this.filled++;
  }

  /** Counts a request for `rps` without a latency (a WebSocket session's length is not one). */
  count(nowMs: number): void {
    const second = Math.floor(nowMs / 1000);
    const slot = second % SLOTS;
    if (this.slotSecond[slot] !== second) {
      this.slotSecond[slot] = second;
      this.slotCount[slot] = 0;
    }
    this.slotCount[slot]++;
  }

  /** Requests per second over the last 10 s (the current second included), 2 decimals. */
  rps(nowMs: number): number {
    const second = Math.floor(nowMs / 1000);
    const oldest = second - (WINDOW_SECONDS - 1);
    let count = 0;
    for (let slot = 0; slot < SLOTS; slot++) {
      const s = this.slotSecond[slot];
      if (s >= oldest && s <= second) count += this.slotCount[slot];
    }
    const windowStart = Math.max(oldest * 1000, this.startedAtMs);
    const seconds = Math.max((nowMs - windowStart) / 1000, 1);
    return Math.round((count / seconds) * 100) / 100;
  }

  /**
   * p50/p95/p99 (nearest rank) of the kept latencies from the last 10 s, in ms with one decimal;
   * all null when there were none. `scratch` must hold `capacity` values; it is overwritten.
   */
  latency(nowMs: number, scratch: Float64Array): LatencyView {
    const since = nowMs - WINDOW_MS;
    let n = 0;
    for (let i = 0; i < this.filled; i++) {
      if (this.latencyAt[i] >= since) scratch[n++] = this.latencyMs[i];
    }
    if (n === 0) return { p50: null, p95: null, p99: null };
    const sorted = scratch.subarray(0, n).sort();
    return { p50: rank(sorted, 0.5), p95: rank(sorted, 0.95), p99: rank(sorted, 0.99) };
  }
}

function rank(sorted: Float64Array, quantile: number): number {
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil(quantile * sorted.length) - 1));
  return Math.round(sorted[index] * 10) / 10;
}
