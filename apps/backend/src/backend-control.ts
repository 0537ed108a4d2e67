import { Injectable } from '@nestjs/common';
import { z } from 'zod';

/** What tests and the dashboard's lab can change on a running demo backend. */
export const controlSchema = z
  .object({
    healthy: z.boolean(),
    latencyMs: z.number().int().min(0).max(600_000),
    failRate: z.number().min(0).max(1),
  })
  .partial()
  .strict();

export type ControlUpdate = z.infer<typeof controlSchema>;

/** The demo backend's switches (sick, slow, flaky) and its own request counter. */
@Injectable()
export class BackendControl {
  healthy = true;
  latencyMs = 0;
  failRate = 0;
  /** Requests served on / and /echo (not /health or /control). */
  served = 0;

  update(change: ControlUpdate): void {
    if (change.healthy !== undefined) this.healthy = change.healthy;
    if (change.latencyMs !== undefined) this.latencyMs = change.latencyMs;
    if (change.failRate !== undefined) this.failRate = change.failRate;
  }

  /** Draws whether this request should fail, per the configured rate. */
  shouldFail(): boolean {
    return this.failRate > 0 && Math.random() < this.failRate;
  }

  snapshot(port: number) {
    return { healthy: this.healthy, latencyMs: this.latencyMs, failRate: this.failRate, served: this.served, port };
  }
}
