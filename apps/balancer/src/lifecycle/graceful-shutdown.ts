import type { Server } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { BeforeApplicationShutdown, Inject, Injectable, Logger } from '@nestjs/common';
import { ServerPool } from '@loadex/pool';
import { BALANCER_CONFIG, type BalancerConfig } from '../config/balancer-config';

/**
 * On shutdown: stop accepting connections, close idle keep-alive ones, let in-flight requests
 * finish (at most --shutdown-timeout), then cut whatever is left.
 */
@Injectable()
export class GracefulShutdown implements BeforeApplicationShutdown {
  private readonly logger = new Logger('Shutdown');
  private readonly servers = new Set<Server>();

  constructor(
    private readonly pool: ServerPool,
    @Inject(BALANCER_CONFIG) private readonly config: BalancerConfig,
  ) {}

  /** The signal that started the shutdown, for the log. */
  signal: string | undefined;

  track(server: Server): void {
    this.servers.add(server);
  }

  private announced = false;

  /** Logs the start of the shutdown once (with --workers, before the workers drain). */
  announce(): void {
    if (this.announced) return;
    this.announced = true;
    const signal = this.signal;
    const inFlight = this.pool.activeRequests();
    this.logger.log(`shutting down${signal ? ` on ${signal}` : ''}: ${inFlight} request(s) in flight`);
  }

  async beforeApplicationShutdown(): Promise<void> {
    const deadline = performance.now() + this.config.shutdownTimeoutMs;
    this.announce();
    for (const server of this.servers) server.close();
    while (this.pool.activeRequests() > 0 && performance.now() < deadline) {
      for (const server of this.servers) server.closeIdleConnections();
      await sleep(25);
    }
    const left = this.pool.activeRequests();
    if (left > 0) this.logger.warn(`shutdown timeout: cutting ${left} request(s) still in flight`);
    for (const server of this.servers) server.closeAllConnections();
  }
}
