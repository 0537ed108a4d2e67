import { Inject, Injectable, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { BALANCER_CONFIG, type BalancerConfig } from '../config/balancer-config';
import type { ProxyAttempt } from './proxy-attempt';
import { UpstreamTimeoutError } from './upstream-error';

/**
 * `--upstream-timeout` without a timer per request: attempts that wait for the backend's response
 * headers sit in one set, and one coarse interval timer sweeps it. An attempt still waiting past its
 * deadline has its upstream request destroyed with `UpstreamTimeoutError`, which the proxy answers
 * with 504. It fires between the timeout and the timeout plus two ticks (a tick is 1/20 of the
 * timeout, 10–500 ms): never early.
 */
@Injectable()
export class UpstreamDeadlines implements OnModuleInit, OnModuleDestroy {
  private readonly waiting = new Set<ProxyAttempt>();
  private readonly timeoutMs: number;
  private readonly tickMs: number;
  /** A coarse clock, advanced by the sweep, so arming a deadline reads no clock. */
  private now = performance.now();
  private timer: NodeJS.Timeout | undefined;

  constructor(@Inject(BALANCER_CONFIG) config: BalancerConfig) {
    this.timeoutMs = config.upstreamTimeoutMs;
    this.tickMs = Math.min(500, Math.max(10, Math.floor(config.upstreamTimeoutMs / 20)));
  }

  onModuleInit(): void {
    this.timer = setInterval(() => this.sweep(), this.tickMs);
    this.timer.unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.timer);
  }

  /** The attempt's request went to the backend: its response headers are now due. */
  arm(attempt: ProxyAttempt): void {
    attempt.sentAt = this.now;
    this.waiting.add(attempt);
  }

  /** Headers arrived, or the attempt ended. */
  disarm(attempt: ProxyAttempt): void {
    this.waiting.delete(attempt);
  }

  private sweep(): void {
    this.now = performance.now();
    // `sentAt` may be up to one tick stale, so allow one more tick: never time out early.
    const cutoff = this.now - this.timeoutMs - this.tickMs;
    for (const attempt of this.waiting) {
      if (attempt.sentAt > cutoff) continue;
      this.waiting.delete(attempt);
      attempt.upstreamRequest?.destroy(new UpstreamTimeoutError());
    }
  }
}
