import { Inject, Injectable, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { BALANCER_CONFIG, type BalancerConfig } from '../../config/balancer-config';
import type { ProxyAttempt } from '../proxy-attempt';
import { UpstreamTimeoutError } from './upstream-error';

/**
 * `--upstream-timeout` without a timer per request: attempts that wait for the backend's response
 * headers form one list in the order they were sent, and one coarse interval timer sweeps its
 * front. An attempt still waiting past its deadline is aborted through its transport's exchange
 * with `UpstreamTimeoutError`, which the proxy answers with 504. It fires between the timeout and the
 * timeout plus two ticks (a tick is 1/20 of the timeout, 10–500 ms): never early.
 *
 * The list is intrusive (each attempt holds its two links) and a removed attempt drops both links,
 * as Node's own timer lists do. A `Set` here cost about 140 MiB of RSS under load: young
 * collections kept finished requests alive and promoted them (measured: README, Speed). As far as
 * we can tell, each rehash of a JS Set leaves the old table pointing at the new one, and old tables
 * in the old generation kept each later table, and the requests in it, alive until a full collection.
 */
@Injectable()
export class UpstreamDeadlines implements OnModuleInit, OnModuleDestroy {
  /** The attempt waiting longest, and the one sent last. */
  private head: ProxyAttempt | null = null;
  private tail: ProxyAttempt | null = null;
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
    this.disarm(attempt);
    attempt.sentAt = this.now;
    attempt.waiting = true;
    attempt.previousWaiting = this.tail;
    if (this.tail) this.tail.nextWaiting = attempt;
    else this.head = attempt;
    this.tail = attempt;
  }

  /** Headers arrived, or the attempt ended. Safe to call for an attempt that is not waiting. */
  disarm(attempt: ProxyAttempt): void {
    if (!attempt.waiting) return;
    const previous = attempt.previousWaiting;
    const next = attempt.nextWaiting;
    if (previous) previous.nextWaiting = next;
    else this.head = next;
    if (next) next.previousWaiting = previous;
    else this.tail = previous;
    attempt.waiting = false;
    attempt.previousWaiting = null;
    attempt.nextWaiting = null;
  }

  private sweep(): void {
    this.now = performance.now();
    // `sentAt` may be up to one tick stale, so allow one more tick: never time out early.
    // The list is in sending order, so only its front can be overdue.
    const cutoff = this.now - this.timeoutMs - this.tickMs;
    while (this.head && this.head.sentAt <= cutoff) {
      const attempt = this.head;
      this.disarm(attempt);
      attempt.exchange?.abort(new UpstreamTimeoutError());
    }
  }
}
