import { Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { type PoolEvent, ServerPool } from '@loadex/pool';

/** Logs every pool change once: added, removed, weight, drain state, health transitions. */
@Injectable()
export class PoolEventLogger implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('Pool');
  private unsubscribe: (() => void) | undefined;

  constructor(private readonly pool: ServerPool) {}

  onModuleInit(): void {
    this.unsubscribe = this.pool.on((event) => this.log(event));
  }

  onModuleDestroy(): void {
    this.unsubscribe?.();
  }

  private log(event: PoolEvent): void {
    const url = event.backend.url;
    switch (event.type) {
      case 'added':
        this.logger.log(`backend added: ${url} (weight ${event.backend.weight})`);
        break;
      case 'removed':
        this.logger.log(`backend removed: ${url}`);
        break;
      case 'weight':
        this.logger.log(`backend ${url} weight set to ${event.weight}`);
        break;
      case 'state':
        this.logger.log(`backend ${url} is now ${event.state}`);
        break;
      case 'health':
        if (event.healthy) this.logger.log(`backend ${url} is UP (${event.reason})`);
        else this.logger.warn(`backend ${url} is DOWN (${event.reason})`);
        break;
    }
  }
}
