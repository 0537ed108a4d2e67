import { Injectable } from '@nestjs/common';
import type { StatsSnapshot } from '@loadex/api';
import { setTimeout as sleep } from 'node:timers/promises';
import { AdminApiClient } from '../api/admin-api-client';
import { printFailureLine } from '../errors/report-failure';
import { InterruptListener } from '../terminal/interrupt-listener';
import { LoadGenerator } from './load-generator';
import type { LoadPlan } from './load-plan';
import { LoadProgress } from './load-progress';
import { buildLoadReport, distributionBetween, type LoadReport } from './load-report';

/** How long to wait for the balancer's counters to include the last responses of the run. */
const SETTLE_TIMEOUT_MS = 3000;
const SETTLE_STEP_MS = 50;

/**
 * One `make-request` run: the balancer's stats before, the bounded load (Ctrl-C stops it cleanly),
 * the stats after, and the report. The distribution per backend comes from the balancer's own
 * counters, so it matches the dashboard and works with any backend.
 */
@Injectable()
export class LoadTestRunner {
  constructor(
    private readonly api: AdminApiClient,
    private readonly generator: LoadGenerator,
    private readonly progress: LoadProgress,
    private readonly interrupts: InterruptListener,
  ) {}

  async run(plan: LoadPlan): Promise<LoadReport> {
    const before = await this.api.stats();
    const interrupts = this.interrupts.listen();
    const progress = this.progress.start(plan);
    interrupts.stop.addEventListener('abort', () => {
      progress.stop();
      printFailureLine('stopping: waiting for the requests in flight (Ctrl-C again to abort them)');
    });
    const tally = await this.generator
      .run(plan, interrupts, (t) => progress.update(t))
      .finally(() => {
        progress.stop();
        interrupts.dispose();
      });
    const after = await this.settledStats(before, tally.sent);
    return buildLoadReport(plan, tally, distributionBetween(before, after));
  }

  /** Stats once the balancer has counted at least `sent` more finished requests (bounded wait). */
  private async settledStats(before: StatsSnapshot, sent: number): Promise<StatsSnapshot> {
    const deadline = Date.now() + SETTLE_TIMEOUT_MS;
    for (;;) {
      const after = await this.api.stats();
      if (after.totals.requests - before.totals.requests >= sent || Date.now() > deadline) return after;
      await sleep(SETTLE_STEP_MS);
    }
  }
}
