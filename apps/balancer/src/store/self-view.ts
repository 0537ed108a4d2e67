import { Inject, Injectable } from '@nestjs/common';
import type { InstanceView } from '@loadex/api';
import { BALANCER_CONFIG, type BalancerConfig } from '../config/balancer-config';
import { StatsCollector } from '../stats/stats-collector';

/** A heartbeat as stored: an `InstanceView` without `self` (that depends on who reads it). */
export type Heartbeat = Omit<InstanceView, 'self'>;

/** This replica as the others see it: its name, its traffic and its own health view, right now. */
@Injectable()
export class SelfView {
  constructor(
    private readonly stats: StatsCollector,
    @Inject(BALANCER_CONFIG) private readonly config: BalancerConfig,
  ) {}

  get instance(): string {
    return this.config.instance;
  }

  heartbeat(version: number): Heartbeat {
    const { at, uptimeSeconds, algorithm, totals, backends } = this.stats.snapshot();
    return { instance: this.config.instance, at, uptimeSeconds, algorithm, version, totals, backends };
  }

  view(version: number): InstanceView {
    return { ...this.heartbeat(version), self: true };
  }
}
