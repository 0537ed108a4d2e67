import { z } from 'zod';
import type { Backend } from '@loadex/pool';
import { type Algorithm, type AlgorithmDeps, defineAlgorithm } from './algorithm';
import { pickOfTwo } from './two-choices';

/** When the algorithm last saw a backend's sample count change. */
interface SampleMark {
  samples: number;
  at: number;
}

/**
 * Power of two choices on latency (Linkerd's and Finagle's peak-EWMA balancer): the cost of a
 * backend is its peak-EWMA time to first byte × (in-flight + 1). A backend with no sample yet costs
 * 0, so it is tried and measured. Without a new sample the recorded latency fades by
 * e^(-age / decay), as Finagle's does when read: a backend once slow is tried again later instead
 * of being shunned for ever on one old measurement.
 */
export class PeakEwma implements Algorithm {
  readonly name = 'ewma';
  private readonly marks = new WeakMap<Backend, SampleMark>();
  private readonly cost = (backend: Backend): number => this.costOf(backend);

  constructor(
    private readonly decayMs: number,
    private readonly deps: AlgorithmDeps,
  ) {}

  pick(candidates: readonly Backend[]): Backend | undefined {
    return pickOfTwo(candidates, this.deps, this.cost);
  }

  private costOf(backend: Backend): number {
    if (backend.ttfbSamples === 0) return 0;
    const now = this.deps.now();
    let mark = this.marks.get(backend);
    if (!mark) {
      mark = { samples: backend.ttfbSamples, at: now };
      this.marks.set(backend, mark);
    } else if (mark.samples !== backend.ttfbSamples) {
      mark.samples = backend.ttfbSamples;
      mark.at = now;
    }
    const latency = backend.ttfbEwmaMs * Math.exp(-(now - mark.at) / this.decayMs);
    return latency * (backend.activeRequests + 1);
  }
}

export const ewmaAlgorithm = defineAlgorithm({
  name: 'ewma',
  title: 'Peak EWMA',
  aliases: ['peak-ewma'],
  description:
    'Two random backends; the one with the lower peak-EWMA time to first byte × (in-flight + 1) wins, an unmeasured one first.',
  options: z.strictObject({
    decayMs: z
      .int({ error: 'expected an integer number of milliseconds from 1 to 600000' })
      .min(1, { error: 'expected an integer number of milliseconds from 1 to 600000' })
      .max(600_000, { error: 'expected an integer number of milliseconds from 1 to 600000' })
      .default(10_000)
      .meta({ description: 'how fast an old latency fades without a new sample (ms; --ewma-decay)' }),
  }),
  create: (options, deps) => new PeakEwma(options.decayMs, deps),
});
