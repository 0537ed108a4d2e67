import { Injectable } from '@nestjs/common';
import type { BackendView } from '@loadex/api';
import { AdminApiClient } from '../api/admin-api-client';
import { AdminApiError, CliFailure } from '../errors/cli-failure';
import type { PlannedBackend } from './compare-scenarios';

/** What a backend was before the scenario: its lab switches and its weight. */
interface SavedBackend {
  url: string;
  latencyMs: number;
  failRate: number;
  weight: number;
}

/** The backends as they were, to be put back by `restore`. */
export interface SavedStage {
  readonly backends: readonly SavedBackend[];
}

/**
 * Sets a scenario up on the balancer's backends through lab mode (the demo backends' latency and
 * failure rate, relayed by `PUT /api/backends/control`) and the admin API (weights), and puts
 * every backend back as it was afterwards.
 */
@Injectable()
export class LabScenarioStage {
  constructor(private readonly api: AdminApiClient) {}

  /** Reads each backend's lab switches; fails with one line when the balancer has no lab mode. */
  async save(backends: readonly BackendView[]): Promise<SavedStage> {
    const saved = await Promise.all(
      backends.map(async (b) => {
        const control = await this.api.labControl(b.url).catch((err: unknown) => {
          throw this.labFailure(err);
        });
        return { url: b.url, latencyMs: control.latencyMs, failRate: control.failRate, weight: b.weight };
      }),
    );
    return { backends: saved };
  }

  async apply(plan: readonly PlannedBackend[], saved: SavedStage): Promise<void> {
    const before = new Map(saved.backends.map((b) => [b.url, b]));
    for (const b of plan) {
      await this.api.setLabControl(b.url, { latencyMs: b.latencyMs, failRate: b.failRate });
      if (before.get(b.url)?.weight !== b.weight) await this.api.updateBackend(b.url, { weight: b.weight });
    }
  }

  /**
   * Puts every saved backend back (all of them, whatever `apply` got to: the calls are
   * idempotent). Returns what could not be restored, one phrase per backend; empty when all was.
   */
  async restore(saved: SavedStage): Promise<string[]> {
    const current = new Map((await this.api.backends()).map((b) => [b.url, b]));
    const problems: string[] = [];
    for (const b of saved.backends) {
      try {
        if (!current.has(b.url)) throw new CliFailure('it is no longer in the pool');
        await this.api.setLabControl(b.url, { latencyMs: b.latencyMs, failRate: b.failRate });
        if (current.get(b.url)?.weight !== b.weight) await this.api.updateBackend(b.url, { weight: b.weight });
      } catch (err) {
        problems.push(`${b.url} (${err instanceof Error ? err.message : String(err)})`);
      }
    }
    return problems;
  }

  private labFailure(err: unknown): unknown {
    if (err instanceof AdminApiError && err.statusCode === 404 && /lab mode/i.test(err.message)) {
      return new CliFailure(`compare sets its scenario up through lab mode: ${err.message}`);
    }
    return err;
  }
}
