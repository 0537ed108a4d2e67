import { Inject, Injectable } from '@nestjs/common';
import { BALANCER_CONFIG, type BalancerConfig } from '../config/balancer-config';

/** Retries a second that are always allowed, however few requests are in flight (Envoy's floor). */
export const MIN_RETRIES_PER_SECOND = 3;
/** The window of the rate allowance, in one-second buckets (Finagle's budget keeps 10 s too). */
export const BUDGET_WINDOW_SECONDS = 10;

/**
 * The retry budget: `--retry-budget` (20 %) caps retries two ways, and a retry is refused only
 * when both caps and the floor are spent:
 *
 * - Envoy's: retries in flight may not exceed that share of the requests in flight;
 * - Finagle's: retries started over the last 10 s may not exceed that share of the requests
 *   started over them;
 * - and at least 3 retries a second are always allowed.
 *
 * Envoy's cap alone refuses a one-time burst: a backend that dies while it holds more than 20 % of
 * the requests in flight (one of five, having just come back, or every request under iphash) has
 * every retry beyond that refused, though the survivors are idle enough. The rate cap lets such a
 * burst through when the recent past had few retries, and still bounds a storm — retries
 * sustained above the share of the traffic — to that share. A refused retry fails as if no retry
 * were left (502).
 */
@Injectable()
export class RetryBudget {
  private readonly share: number;
  private inFlight = 0;
  private thisSecond = 0;
  /** The newest bucket's second; buckets are `second % BUDGET_WINDOW_SECONDS`. */
  private second = -1;
  private readonly requestsBySecond = new Float64Array(BUDGET_WINDOW_SECONDS);
  private readonly retriesBySecond = new Float64Array(BUDGET_WINDOW_SECONDS);
  private windowRequests = 0;
  private windowRetries = 0;

  constructor(@Inject(BALANCER_CONFIG) config: BalancerConfig) {
    this.share = config.retryBudgetPercent / 100;
  }

  /** A client request's first attempt started: it counts toward the rate allowance. */
  requestStarted(nowMs: number): void {
    const second = Math.floor(nowMs / 1000);
    if (second !== this.second) this.advance(second);
    this.requestsBySecond[second % BUDGET_WINDOW_SECONDS]++;
    this.windowRequests++;
  }

  /** May one more retry start, with `requestsInFlight` requests in flight? Counts it if so. */
  tryStart(requestsInFlight: number, nowMs: number): boolean {
    const second = Math.floor(nowMs / 1000);
    if (second !== this.second) this.advance(second);
    const concurrent = this.inFlight < this.share * requestsInFlight;
    const rate = this.windowRetries < this.share * this.windowRequests;
    if (!concurrent && !rate && this.thisSecond >= MIN_RETRIES_PER_SECOND) return false;
    this.inFlight++;
    this.thisSecond++;
    this.retriesBySecond[second % BUDGET_WINDOW_SECONDS]++;
    this.windowRetries++;
    return true;
  }

  /** A request that had retried ended. */
  finish(): void {
    this.inFlight--;
  }

  /** Retries in flight now. */
  get retriesInFlight(): number {
    return this.inFlight;
  }

  /** Moves the window to `second`: the buckets of the seconds that left it are emptied. */
  private advance(second: number): void {
    const steps = this.second < 0 ? BUDGET_WINDOW_SECONDS : Math.min(second - this.second, BUDGET_WINDOW_SECONDS);
    for (let i = 1; i <= steps; i++) {
      // The seconds entering the window, second - steps + 1 … second; their buckets held a second 10 s older.
      const bucket = (((second - steps + i) % BUDGET_WINDOW_SECONDS) + BUDGET_WINDOW_SECONDS) % BUDGET_WINDOW_SECONDS;
      this.windowRequests -= this.requestsBySecond[bucket];
      this.windowRetries -= this.retriesBySecond[bucket];
      this.requestsBySecond[bucket] = 0;
      this.retriesBySecond[bucket] = 0;
    }
    this.second = second;
    this.thisSecond = 0;
  }
}
