import { Inject, Injectable, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { BALANCER_CONFIG, type BalancerConfig } from '../../config/balancer-config';
import type { ProxyAttempt } from '../proxy-attempt';
import { UpstreamTimeoutError } from './upstream-error';

/** Attempts in the order of their last event (sent, or a body chunk), linked through the attempts themselves. */
class AttemptList {
  head: ProxyAttempt | null = null;
  tail: ProxyAttempt | null = null;

  append(attempt: ProxyAttempt): void {
    attempt.previousWaiting = this.tail;
    if (this.tail) this.tail.nextWaiting = attempt;
    else this.head = attempt;
    this.tail = attempt;
  }

  remove(attempt: ProxyAttempt): void {
    const previous = attempt.previousWaiting;
    const next = attempt.nextWaiting;
    if (previous) previous.nextWaiting = next;
    else this.head = next;
    if (next) next.previousWaiting = previous;
    else this.tail = previous;
    attempt.previousWaiting = null;
    attempt.nextWaiting = null;
  }
}

/**
 * `--upstream-timeout` without a timer per request, with nginx's `proxy_read_timeout` meaning: the
 * backend must send the response headers within it, and then never fall silent for longer while
 * it sends the body. Attempts waiting for headers form one list in the order they were sent;
 * attempts receiving a body form another, in the order of their last chunk (a chunk moves its
 * attempt to the back, at most once per tick). One coarse interval timer sweeps both fronts. An
 * attempt past its deadline is aborted through its transport's exchange with `UpstreamTimeoutError`:
 * the proxy answers 504 before the headers and cuts the response after them. It fires between the
 * timeout and the timeout plus two ticks (a tick is 1/20 of the timeout, 10–500 ms): never early.
 * A response paused because the client reads slowly is not on either list: the backend is waiting
 * for us, not the other way round.
 *
 * This is also why undici's own body timer is off (undici-pools.ts): it allocates a timer object
 * per request that undici keeps for up to a second after the request ends, so every request left
 * one in the old generation (1.6 MiB promoted every ten young collections at c=256, measured).
 *
 * The lists are intrusive (each attempt holds its two links) and a removed attempt drops both links,
 * as Node's own timer lists do. A `Set` here cost about 140 MiB of RSS under load: young
 * collections kept finished requests alive and promoted them (measured: README, Speed). As far as
 * we can tell, each rehash of a JS Set leaves the old table pointing at the new one, and old tables
 * in the old generation kept each later table, and the requests in it, alive until a full collection.
 */
@Injectable()
export class UpstreamDeadlines implements OnModuleInit, OnModuleDestroy {
  private readonly waitingForHeaders = new AttemptList();
  private readonly receivingBody = new AttemptList();
  private readonly lists = [this.waitingForHeaders, this.receivingBody];
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
    attempt.waiting = 'headers';
    this.waitingForHeaders.append(attempt);
  }

  /** The response headers arrived (or the client's pause is over): the next body chunk is now due. */
  bodyDue(attempt: ProxyAttempt): void {
    this.disarm(attempt);
    attempt.sentAt = this.now;
    attempt.waiting = 'body';
    this.receivingBody.append(attempt);
  }

  /** A body chunk arrived: the next one is due a timeout from now. Cheap: once per tick at most. */
  bodyProgressed(attempt: ProxyAttempt): void {
    if (attempt.waiting === 'body' && attempt.sentAt !== this.now) this.bodyDue(attempt);
  }

  /** The attempt ended, or waits for the client now. Safe to call for an attempt on no list. */
  disarm(attempt: ProxyAttempt): void {
    if (attempt.waiting === null) return;
    (attempt.waiting === 'headers' ? this.waitingForHeaders : this.receivingBody).remove(attempt);
    attempt.waiting = null;
  }

  private sweep(): void {
    this.now = performance.now();
    // `sentAt` may be up to one tick stale, so allow one more tick: never time out early.
    // Each list is in the order of its deadlines, so only its front can be overdue.
    const cutoff = this.now - this.timeoutMs - this.tickMs;
    for (const list of this.lists) {
      while (list.head && list.head.sentAt <= cutoff) {
        const attempt = list.head;
        this.disarm(attempt);
        attempt.exchange?.abort(new UpstreamTimeoutError());
      }
    }
  }
}
