import { Injectable } from '@nestjs/common';
import { performance } from 'node:perf_hooks';
import { describeNetworkFailure } from '../api/network-failure';
import type { LoadPlan, LoadStopSignals, LoadTally } from './load-plan';

/**
 * Sends the planned requests from `concurrency` workers over fetch's keep-alive pool and tallies what
 * came back. Always bounded: by count, by duration, or by the stop signal. A response counts as a
 * success below 400; anything else, or a request that never got an answer, is a failure.
 */
@Injectable()
export class LoadGenerator {
  async run(plan: LoadPlan, signals: LoadStopSignals, onFinished: (tally: LoadTally) => void): Promise<LoadTally> {
    const tally: LoadTally = {
      sent: 0,
      succeeded: 0,
      failures: new Map(),
      latenciesMs: [],
      elapsedMs: 0,
      interrupted: false,
    };
    const started = performance.now();
    const deadline = plan.durationMs === null ? Infinity : started + plan.durationMs;
    let issued = 0;
    const mayIssue = () =>
      !signals.stop.aborted && (plan.count === null || issued < plan.count) && performance.now() < deadline;

    const worker = async () => {
      while (mayIssue()) {
        const index = issued++;
        const outcome = await this.sendOne(plan, signals.abort, plan.headersFor?.(index));
        tally.sent++;
        tally.latenciesMs.push(outcome.latencyMs);
        if (outcome.failure === undefined) tally.succeeded++;
        else tally.failures.set(outcome.failure, (tally.failures.get(outcome.failure) ?? 0) + 1);
        onFinished(tally);
      }
    };
    const workers = plan.count === null ? plan.concurrency : Math.min(plan.concurrency, plan.count);
    await Promise.all(Array.from({ length: workers }, worker));
    tally.elapsedMs = performance.now() - started;
    tally.interrupted = signals.stop.aborted;
    return tally;
  }

  private async sendOne(
    plan: LoadPlan,
    abort: AbortSignal,
    headers: Record<string, string> | undefined,
  ): Promise<{ latencyMs: number; failure?: string }> {
    const started = performance.now();
    try {
      const response = await fetch(plan.target, {
        method: plan.method,
        headers,
        redirect: 'manual',
        signal: AbortSignal.any([abort, AbortSignal.timeout(plan.timeoutMs)]),
      });
      await response.arrayBuffer();
      const latencyMs = performance.now() - started;
      return response.status < 400 ? { latencyMs } : { latencyMs, failure: String(response.status) };
    } catch (err) {
      const latencyMs = performance.now() - started;
      return { latencyMs, failure: abort.aborted ? 'aborted' : describeNetworkFailure(err) };
    }
  }
}
