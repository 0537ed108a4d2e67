import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import type { Redis, RedisOptions } from 'ioredis';
import { BALANCER_CONFIG, type BalancerConfig } from '../config/balancer-config';
import type { StoreUrl } from './store-url';

/** A command Redis has not answered by then fails; the store counts as down until one succeeds. */
export const COMMAND_TIMEOUT_MS = 2000;
/**
 * A change must reach Redis this much sooner than the command's own timeout, or the script refuses
 * it: the margin covers the reply's way back and the clocks of the replica and Redis disagreeing.
 */
export const CHANGE_DEADLINE_MS = 1000;
const CONNECT_TIMEOUT_MS = 2000;

/** Reconnect backoff: 100 ms doubling up to 2 s, for ever (ioredis reconnects; we only pace it). */
function retryDelay(attempt: number): number {
  return Math.min(100 * 2 ** Math.min(attempt - 1, 5), 2000);
}

/**
 * The two Redis connections of `--store`: `commands` (changes, reads, heartbeats; no offline
 * queue, so a command while disconnected fails at once instead of waiting to be sent later) and
 * `subscriber` (change notifications). ioredis reconnects both with backoff; `up` is false while
 * the command connection is not ready or its last command timed out.
 */
@Injectable()
export class StoreConnection implements OnApplicationShutdown {
  private readonly logger = new Logger('Store');
  readonly url: StoreUrl;
  readonly commands: Redis;
  readonly subscriber: Redis;
  private lastError = '';
  private stalled = false;
  private wasUp = false;

  constructor(@Inject(BALANCER_CONFIG) config: BalancerConfig) {
    if (!config.store) throw new Error('StoreConnection needs --store');
    this.url = config.store;
    const options: RedisOptions = {
      lazyConnect: true,
      connectTimeout: CONNECT_TIMEOUT_MS,
      retryStrategy: retryDelay,
      connectionName: `loadex:${config.instance}`,
      ...(config.store.tls ? { tls: {} } : {}),
    };
    // Loaded here, not at the top: a balancer without --store never evaluates ioredis (2 MiB of heap).
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { Redis: RedisClient } = require('ioredis') as typeof import('ioredis');
    this.commands = new RedisClient(config.store.href, {
      ...options,
      enableOfflineQueue: false,
      commandTimeout: COMMAND_TIMEOUT_MS,
    });
    this.subscriber = new RedisClient(config.store.href, { ...options, maxRetriesPerRequest: null });
    for (const client of [this.commands, this.subscriber]) {
      // Without a listener ioredis prints every failed reconnect; the state is tracked here instead.
      client.on('error', (err: Error) => (this.lastError = err.message || String(err)));
    }
    this.commands.on('ready', () => {
      this.lastError = '';
      this.stalled = false;
      this.noteUp();
    });
    this.commands.on('close', () => this.noteDown('connection lost'));
  }

  /** Connected, and the last command was answered. */
  get up(): boolean {
    return this.commands.status === 'ready' && !this.stalled;
  }

  /** Why the store is not usable right now (for 503 messages and logs); null when it is. */
  unavailableReason(): string | null {
    if (this.commands.status !== 'ready') {
      return `not connected to ${this.url.display}${this.lastError ? ` (${this.lastError})` : ''}`;
    }
    if (this.stalled) return `${this.url.display} did not answer within ${COMMAND_TIMEOUT_MS / 1000}s`;
    return null;
  }

  /** The last error a connection or command reported ('' since the last successful connect). */
  get lastFailure(): string {
    return this.lastError;
  }

  /** A command was answered: the store is usable. */
  answered(): void {
    if (!this.stalled) return;
    this.stalled = false;
    this.noteUp();
  }

  /** A command failed; a timeout means Redis is there but not answering (stopped, overloaded). */
  failed(err: unknown): void {
    const message = (err as Error).message ?? String(err);
    this.lastError = message;
    if (/timed out/i.test(message) && !this.stalled) {
      this.stalled = true;
      this.noteDown(`${this.url.display} did not answer within ${COMMAND_TIMEOUT_MS / 1000}s`);
    }
  }

  /** Connects both clients; rejects with the reason when the first attempt fails. */
  async connect(): Promise<void> {
    await Promise.all([this.commands.connect(), this.subscriber.connect()]);
  }

  onApplicationShutdown(): void {
    this.commands.disconnect();
    this.subscriber.disconnect();
  }

  private noteUp(): void {
    if (this.wasUp) return;
    this.wasUp = true;
    this.logger.log(`store ${this.url.display} is up`);
  }

  private noteDown(reason: string): void {
    if (!this.wasUp) return;
    this.wasUp = false;
    this.logger.warn(`store ${this.url.display} is down: ${reason}; serving with the last applied state`);
  }
}
