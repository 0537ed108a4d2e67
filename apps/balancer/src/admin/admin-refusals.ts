import { Injectable, Logger } from '@nestjs/common';
import { InjectMetric } from '@willsoto/nestjs-prometheus';
import type { Counter } from 'prom-client';
import { ADMIN_REFUSED_METRIC } from './admin-refusal-metric';
import { ADMIN_REFUSAL_REASONS, type AdminRefusalReason } from './admin-request-policy';

const QUIET_MS = 60_000;
/** Keys remembered at most; beyond it, the expired ones are forgotten (or all, if none expired). */
const MAX_KEYS = 1_000;

/**
 * Every admin refusal is counted in `golb_admin_refused_total{reason}`, and logged as a warning at
 * most once a minute per key (an Origin, a Host, a client): a page that keeps trying, or a
 * misconfigured script, does not flood the log.
 */
@Injectable()
export class AdminRefusals {
  private readonly logger = new Logger('AdminSecurity');
  private readonly counters: ReadonlyMap<AdminRefusalReason, Counter.Internal>;
  private readonly lastWarned = new Map<string, number>();

  constructor(@InjectMetric(ADMIN_REFUSED_METRIC) counter: Counter<string>) {
    this.counters = new Map(
      ADMIN_REFUSAL_REASONS.map((reason) => {
        const child = counter.labels({ reason });
        child.inc(0);
        return [reason, child] as const;
      }),
    );
  }

  /** Counts the refusal; logs `warning` unless `key` was logged less than a minute ago. */
  refused(reason: AdminRefusalReason, key: string, warning: string): void {
    this.counters.get(reason)?.inc();
    const now = Date.now();
    const last = this.lastWarned.get(key);
    if (last !== undefined && now - last < QUIET_MS) return;
    if (this.lastWarned.size >= MAX_KEYS) this.forgetExpired(now);
    this.lastWarned.set(key, now);
    this.logger.warn(`${warning} (further refusals for ${key} are not logged for a minute)`);
  }

  private forgetExpired(now: number): void {
    for (const [key, at] of this.lastWarned) if (now - at >= QUIET_MS) this.lastWarned.delete(key);
    if (this.lastWarned.size >= MAX_KEYS) this.lastWarned.clear();
  }
}
