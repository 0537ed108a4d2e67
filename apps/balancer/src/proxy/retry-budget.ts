import { Inject, Injectable } from '@nestjs/common';
import { BALANCER_CONFIG, type BalancerConfig } from '../config/balancer-config';

/** Retries a second that are always allowed, however few requests are in flight (Envoy's floor). */
export const MIN_RETRIES_PER_SECOND = 3;

/**
 * Envoy's retry budget: retries in flight may not exceed `--retry-budget` of the requests in flight,
 * with a floor of a few retries a second, so a dead backend under load cannot make every one of its
 * requests retry at once. A retry refused here fails as if no retry were left (502).
 */
@Injectable()
export class RetryBudget {
  private readonly share: number;
  private inFlight = 0;
  private second = -1;
  private thisSecond = 0;

  constructor(@Inject(BALANCER_CONFIG) config: BalancerConfig) {
    this.share = config.retryBudgetPercent / 100;
  }

  /** May one more retry start, with `requestsInFlight` requests in flight? Counts it if so. */
  tryStart(requestsInFlight: number, nowMs: number): boolean {
    const second = Math.floor(nowMs / 1000);
    if (second !== this.second) {
      this.second = second;
      this.thisSecond = 0;
    }
    if (this.inFlight >= this.share * requestsInFlight && this.thisSecond >= MIN_RETRIES_PER_SECOND) return false;
    this.inFlight++;
    this.thisSecond++;
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
}
