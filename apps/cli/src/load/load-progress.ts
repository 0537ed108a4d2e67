import { Injectable } from '@nestjs/common';
import { Presets, SingleBar } from 'cli-progress';
import { performance } from 'node:perf_hooks';
import { CliSettings } from '../settings/cli-settings';
import type { LoadPlan, LoadTally } from './load-plan';

export interface ProgressHandle {
  update(tally: LoadTally): void;
  stop(): void;
}

const NO_PROGRESS: ProgressHandle = { update: () => undefined, stop: () => undefined };

/**
 * The progress bar of `make-request` (cli-progress, on stderr): only when stderr is a terminal and
 * not with `--json`. Counts requests for a count-bounded run, seconds for a duration-bounded one.
 */
@Injectable()
export class LoadProgress {
  constructor(private readonly settings: CliSettings) {}

  start(plan: LoadPlan): ProgressHandle {
    if (this.settings.json || process.stderr.isTTY !== true) return NO_PROGRESS;
    const byCount = plan.count !== null;
    const bar = new SingleBar(
      {
        stream: process.stderr,
        format: byCount
          ? ' {bar} {percentage}% | {value}/{total} requests | {failed} failed'
          : ' {bar} {percentage}% | {value}/{total} s | {sent} requests | {failed} failed',
        hideCursor: false,
        clearOnComplete: true,
        fps: 10,
      },
      Presets.shades_classic,
    );
    const started = performance.now();
    const total = byCount ? (plan.count ?? 0) : Math.ceil((plan.durationMs ?? 0) / 1000);
    bar.start(total, 0, { sent: 0, failed: 0 });
    return {
      update: (tally) => {
        const value = byCount ? tally.sent : Math.min(total, Math.floor((performance.now() - started) / 1000));
        bar.update(value, { sent: tally.sent, failed: tally.sent - tally.succeeded });
      },
      stop: () => bar.stop(),
    };
  }
}
