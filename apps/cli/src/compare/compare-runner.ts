import { Injectable } from '@nestjs/common';
import type { AlgorithmView } from '@loadex/api';
import { AdminApiClient } from '../api/admin-api-client';
import { CliFailure } from '../errors/cli-failure';
import type { LoadPlan } from '../load/load-plan';
import { LoadTestRunner } from '../load/load-test-runner';
import { CliSettings } from '../settings/cli-settings';
import { InterruptListener } from '../terminal/interrupt-listener';
import { comparisonOptions, selectAlgorithms } from './algorithm-selection';
import { buildCompareRow, type CompareReport, type CompareRow, LOAD_DEFINITION } from './compare-report';
import { KEY_HEADER, keyHeadersFor, planScenario, type Scenario } from './compare-scenarios';
import { LabScenarioStage, type SavedStage } from './lab-scenario-stage';

/** What `loadex compare` was asked to do. */
export interface CompareRequest {
  scenario: Scenario;
  /** Names or aliases from `--algorithms`; undefined: every algorithm the balancer knows. */
  algorithms?: string[];
  /** Where the traffic goes (the proxy's `/`). */
  target: URL;
  count: number | null;
  durationMs: number | null;
  concurrency: number;
  timeoutMs: number;
}

/**
 * One comparison: the scenario set up through lab mode, then the same bounded traffic through the
 * balancer once per algorithm (switched at runtime with PUT /api/algorithm), each run measured by
 * `make-request`'s engine; afterwards, whatever happened (failure, Ctrl-C), the backends' lab
 * switches, their weights and the algorithm are put back as they were.
 */
@Injectable()
export class CompareRunner {
  constructor(
    private readonly api: AdminApiClient,
    private readonly stage: LabScenarioStage,
    private readonly load: LoadTestRunner,
    private readonly interrupts: InterruptListener,
    private readonly settings: CliSettings,
  ) {}

  async run(request: CompareRequest): Promise<CompareReport> {
    const algorithms = selectAlgorithms(request.algorithms, await this.api.algorithms());
    const original = await this.api.algorithm();
    const backends = await this.api.backends();
    const setup = planScenario(request.scenario, backends);
    const singledOut = setup.find((b) => b.singledOut)?.url ?? '';
    const plan: LoadPlan = {
      target: request.target,
      method: 'GET',
      count: request.count,
      durationMs: request.durationMs,
      concurrency: request.concurrency,
      timeoutMs: request.timeoutMs,
      headersFor: keyHeadersFor(request.scenario.hotKeyShare),
    };

    // Ctrl-C (or SIGTERM) from here on ends the comparison, never the process: `restore` still runs.
    const interrupts = this.interrupts.listen();
    const rows: CompareRow[] = [];
    let saved: SavedStage | undefined;
    let failure: unknown;
    try {
      saved = await this.stage.save(backends);
      await this.stage.apply(setup, saved);
      for (const [i, algorithm] of algorithms.entries()) {
        if (interrupts.stop.aborted) break;
        this.announce(`${algorithm.name} (${i + 1}/${algorithms.length})`);
        const view = await this.api.setAlgorithm(algorithm.name, comparisonOptions(algorithm));
        if (interrupts.stop.aborted) break; // Ctrl-C during the switch: no new run
        rows.push(buildCompareRow(view.algorithm, view.options ?? {}, await this.load.run(plan)));
      }
    } catch (err) {
      failure = err;
    }
    const problems = await this.restore(original, saved).finally(() => interrupts.dispose());
    if (failure !== undefined || problems.length > 0) throw this.combined(failure, problems);

    return {
      scenario: request.scenario.name,
      description: request.scenario.describe(singledOut),
      setup,
      target: request.target.href,
      count: request.count,
      durationMs: request.durationMs,
      concurrency: request.concurrency,
      keyHeader: KEY_HEADER,
      load: LOAD_DEFINITION,
      algorithms: algorithms.map((a) => a.name),
      interrupted: rows.length < algorithms.length || rows.some((r) => r.interrupted),
      rows,
    };
  }

  /** Puts the algorithm and the backends back; what could not be, one phrase each. */
  private async restore(original: AlgorithmView, saved: SavedStage | undefined): Promise<string[]> {
    const problems: string[] = [];
    try {
      const options = Object.keys(original.options ?? {}).length ? original.options : undefined;
      await this.api.setAlgorithm(original.algorithm, options);
    } catch (err) {
      problems.push(`the algorithm ${original.algorithm} (${err instanceof Error ? err.message : String(err)})`);
    }
    if (saved) {
      try {
        problems.push(...(await this.stage.restore(saved)));
      } catch (err) {
        problems.push(`the backends (${err instanceof Error ? err.message : String(err)})`);
      }
    }
    return problems;
  }

  private combined(failure: unknown, problems: readonly string[]): unknown {
    if (problems.length === 0) return failure;
    const restore = `could not restore ${problems.join(', ')}`;
    if (failure === undefined) return new CliFailure(restore);
    const message = failure instanceof Error ? failure.message : String(failure);
    return new CliFailure(`${message}; and ${restore}`);
  }

  /** `comparing p2c (3/9)` on stderr, for a person at a terminal. */
  private announce(what: string): void {
    if (!this.settings.json && process.stderr.isTTY === true) process.stderr.write(`comparing ${what}\n`);
  }
}
