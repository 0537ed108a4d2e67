import type { ClientLimitEvent } from './worker-protocol';
import type { WorkerChannel } from './worker-channel';

/**
 * What `ClientLimits` counts with in a worker thread: each event (a head timeout, an idle close, a
 * refused connection: rare) is one message to the main thread, which owns the Prometheus counters.
 */
export class ClientLimitCounter {
  constructor(
    private readonly channel: WorkerChannel,
    private readonly event: ClientLimitEvent | null,
  ) {}

  /** The `reason` label of golb_client_timeouts_total: `header` or `idle`. */
  labels(reason: string): ClientLimitCounter {
    return new ClientLimitCounter(this.channel, reason === 'idle' ? 'idle' : 'header');
  }

  inc(by = 1): void {
    if (by > 0 && this.event !== null) this.channel.post({ type: 'client-limit', event: this.event });
  }
}
