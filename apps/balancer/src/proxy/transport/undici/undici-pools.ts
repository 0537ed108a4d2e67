import type { Socket } from 'node:net';
import { Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import type * as Undici from 'undici';
import { type Backend, ServerPool } from '@loadex/pool';

/*
 * undici's Pool and connector from their own files: `require('undici')` also evaluates fetch,
 * WebSocket, the caches and the mocks, 2.8 MiB more heap in every thread that proxies and none of
 * it used. test/unit/undici-modules.spec.ts checks these are the package's own exports.
 */
/* eslint-disable @typescript-eslint/no-require-imports */
const Pool = require('undici/lib/dispatcher/pool.js') as typeof Undici.Pool;
const buildConnector = require('undici/lib/core/connect.js') as typeof Undici.buildConnector;
/* eslint-enable @typescript-eslint/no-require-imports */
type Pool = Undici.Pool;

/**
 * Upstream keep-alive: idle connections are closed after 4 s, below the 5 s most backends keep
 * them, so the balancer closes first and seldom sends on a connection the backend is closing.
 * No pipelining (one request per connection at a time, as nginx and HAProxy do). The upstream
 * deadlines, for the headers and between body chunks, are the proxy's own (UpstreamDeadlines), so
 * undici's header and body timers are off: its body timer alone left an object per request in
 * the old generation.
 */
const POOL_OPTIONS = {
  pipelining: 1,
  keepAliveTimeout: 4_000,
  keepAliveMaxTimeout: 4_000,
  headersTimeout: 0,
  bodyTimeout: 0,
} as const;

const CONNECT_TIMEOUT_MS = 10_000;

/** Marks an error raised by a connection that had already read a response (a reused keep-alive one). */
const CARRIED_RESPONSES = Symbol('loadex.carriedResponses');

type MarkedError = Error & { [CARRIED_RESPONSES]?: boolean; socket?: { bytesRead?: number } };

/** Runs before undici's own error listener, so the mark is on the error undici reports. */
function markSocketError(this: Socket, err: MarkedError): void {
  err[CARRIED_RESPONSES] = this.bytesRead > 0;
}

/**
 * True when the connection an error came from had already read bytes from the backend: it was a
 * reused keep-alive connection (the attempt's own response had not started, or the engine would
 * not ask). Socket errors carry the mark; undici's "other side closed" carries its socket's counters.
 */
export function carriedResponses(err: Error): boolean {
  const marked = err as MarkedError;
  if (marked[CARRIED_RESPONSES] !== undefined) return marked[CARRIED_RESPONSES];
  return (marked.socket?.bytesRead ?? 0) > 0;
}

const connector = buildConnector({ timeout: CONNECT_TIMEOUT_MS, keepAlive: true, keepAliveInitialDelay: 60_000 });

/** undici's connector, plus the listener that marks errors of reused connections. */
function connect(options: Undici.buildConnector.Options, callback: Undici.buildConnector.Callback): void {
  connector(options, (err, socket) => {
    if (socket) {
      socket.setNoDelay(true);
      socket.on('error', markSocketError);
    }
    (callback as (e: Error | null, s: Socket | null | undefined) => void)(err, socket);
  });
}

/**
 * One `undici.Pool` per backend, created when the backend joins the pool and closed once it has
 * left: `close()` lets the requests already on it finish, then closes its connections.
 */
@Injectable()
export class UndiciPools implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('UndiciPools');
  private readonly byBackend = new Map<Backend, Pool>();
  private unsubscribe: (() => void) | undefined;

  constructor(private readonly pool: ServerPool) {}

  onModuleInit(): void {
    for (const backend of this.pool.all()) this.create(backend);
    this.unsubscribe = this.pool.on((event) => {
      if (event.type === 'added') this.create(event.backend);
      else if (event.type === 'removed') this.retire(event.backend);
    });
  }

  get(backend: Backend): Pool | undefined {
    return this.byBackend.get(backend);
  }

  /** Backends with an open pool (for tests and diagnostics). */
  get size(): number {
    return this.byBackend.size;
  }

  async onApplicationShutdown(): Promise<void> {
    this.unsubscribe?.();
    const pools = [...this.byBackend.values()];
    this.byBackend.clear();
    await Promise.all(pools.map((p) => p.destroy().catch(() => undefined)));
  }

  private create(backend: Backend): void {
    if (this.byBackend.has(backend)) return;
    this.byBackend.set(backend, new Pool(backend.target.origin, { ...POOL_OPTIONS, connect }));
  }

  private retire(backend: Backend): void {
    const pool = this.byBackend.get(backend);
    if (pool === undefined) return;
    this.byBackend.delete(backend);
    pool.close().catch((err: Error) => this.logger.warn(`closing the pool of ${backend.url}: ${err.message}`));
  }
}
