import { setTimeout as sleep } from 'node:timers/promises';
import { Worker } from 'node:worker_threads';
import { Inject, Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { InjectMetric } from '@willsoto/nestjs-prometheus';
import { Counter, Gauge, register } from 'prom-client';
import { ActiveAlgorithm } from '@loadex/algorithms';
import { type Backend, type PoolEvent, SHARED_SLOTS, ServerPool, type SharedSlots } from '@loadex/pool';
import { BALANCER_CONFIG, type BalancerConfig } from '../config/balancer-config';
import { METRIC } from '../metrics/metric-definitions';
import { TrafficObserver } from '../traffic/traffic-observer';
import { methodOf, RingEvent, TrafficRing, UPSTREAM_KINDS } from './traffic-ring';
import type { FromWorker, PoolChange, ReplicatedBackend, ToWorker, WorkerStart } from './worker-protocol';

/** How often the main thread brings the workers' traffic into metrics and stats (also right before each read). */
const DRAIN_MS = 10;
/**
 * A worker thread's young generation when the process runs without `--max-semi-space-size` (the
 * relaunch in lifecycle/v8-heap-flags.ts was not possible): what `--max-semi-space-size=16` gives
 * every thread otherwise (3 × 16 MiB). A process-wide flag always wins over this limit (measured on
 * Node 24: with the flag set, any `maxYoungGenerationSizeMb` gives the flag's new space).
 */
const YOUNG_GENERATION_MB = 48;
/** How long an admin answer waits for the workers' acknowledgements at most. */
const ACK_WAIT_MS = 5000;

/** One data-plane thread as the main thread sees it. */
class WorkerSlot {
  worker: Worker | null = null;
  threadId = -1;
  acked = 0;
  ready = false;
  requests = 0;
  constructor(
    readonly row: number,
    readonly ring: TrafficRing,
  ) {}
}

/**
 * The main thread's side of `--workers N`: starts the data-plane threads, replicates every pool
 * and algorithm change to them with a version (an admin answer waits until every live worker
 * acknowledged it), brings their traffic from the shared rings into the main thread's metrics and
 * stats, restarts a worker that dies (its in-flight counts subtracted) and drains them on shutdown.
 */
@Injectable()
export class WorkerFleet implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('Workers');
  private readonly workers: WorkerSlot[];
  private version = 0;
  private readonly waiting = new Set<() => void>();
  private port = 0;
  private relay: WorkerStart['relay'] = null;
  private closing = false;
  private timer: NodeJS.Timeout | undefined;
  private readonly unsubscribers: Array<() => void> = [];
  private readonly restarts: Counter<string>;
  private readonly perWorker: Counter<string>;
  private readonly headerTimeouts: Counter.Internal;
  private readonly idleTimeouts: Counter.Internal;
  private readonly replay: (event: RingEvent, slot: number, code: number, status: number, seconds: number) => void;
  private draining: WorkerSlot | null = null;

  constructor(
    private readonly pool: ServerPool,
    private readonly algorithm: ActiveAlgorithm,
    private readonly traffic: TrafficObserver,
    @Inject(SHARED_SLOTS) private readonly slots: SharedSlots,
    @Inject(BALANCER_CONFIG) private readonly config: BalancerConfig,
    @InjectMetric(METRIC.clientTimeouts) timeouts: Counter<string>,
    @InjectMetric(METRIC.clientConnectionsRejected) private readonly rejected: Counter<string>,
  ) {
    this.workers = Array.from({ length: config.workers }, (_, row) => new WorkerSlot(row, TrafficRing.allocate()));
    this.headerTimeouts = timeouts.labels('header');
    this.idleTimeouts = timeouts.labels('idle');
    const running = () => this.workers.filter((w) => w.ready).length;
    const drain = () => this.drain();
    new Gauge({
      name: 'golb_workers',
      help: 'Data-plane worker threads running (--workers)',
      registers: [register],
      collect(this: Gauge<string>) {
        this.set(running());
      },
    });
    this.perWorker = new Counter({
      name: 'golb_worker_requests_total',
      help: 'Client requests finished, by worker thread (index from 0)',
      labelNames: ['worker'],
      registers: [register],
      collect() {
        drain();
      },
    });
    for (const w of this.workers) this.perWorker.labels(String(w.row)).inc(0);
    this.restarts = new Counter({
      name: 'golb_worker_restarts_total',
      help: 'Worker threads that died and were started again',
      registers: [register],
    });
    this.replay = (event, slot, code, status, seconds) => {
      const backend = slot < 0 ? undefined : this.pool.bySharedSlot(slot);
      if (event === RingEvent.Finished) {
        (this.draining as WorkerSlot).requests++;
        this.traffic.requestFinished(backend, methodOf(code), status, seconds);
      } else if (backend !== undefined) {
        const kind = UPSTREAM_KINDS[code] ?? 'other';
        if (event === RingEvent.Retried) this.traffic.retried(backend, kind);
        else if (event === RingEvent.RetryRefused) this.traffic.retryRefused(backend);
        else this.traffic.upstreamError(backend, kind);
      }
    };
  }

  onModuleInit(): void {
    this.unsubscribers.push(
      this.pool.on((event) => this.broadcast(changeOf(event))),
      this.algorithm.onChange((name, options) => this.broadcast({ type: 'algorithm', name, options })),
      this.traffic.reading.on(() => this.drain()),
    );
  }

  onModuleDestroy(): void {
    for (const unsubscribe of this.unsubscribers) unsubscribe();
    clearInterval(this.timer);
  }

  /** Starts every worker; resolves with the proxy port once all of them listen on it. */
  async start(relay: WorkerStart['relay']): Promise<number> {
    this.relay = relay;
    this.port = this.config.port;
    // The first worker resolves --port 0; the others then take the same port.
    this.port = await this.spawn(this.workers[0]);
    await Promise.all(this.workers.slice(1).map((w) => this.spawn(w)));
    this.timer = setInterval(() => this.drain(), DRAIN_MS).unref();
    if (process.env.LOADEX_TEST_HOOKS === '1') {
      // Tests only: SIGUSR2 kills worker 0 as a crash would, to exercise the restart.
      process.on('SIGUSR2', () => void this.workers[0].worker?.terminate());
    }
    return this.port;
  }

  /** The thread ids of the running workers, by index (for logs and the tests). */
  threadIds(): number[] {
    return this.workers.map((w) => w.threadId);
  }

  /** Resolves when every live worker has applied every change made so far. */
  settled(): Promise<void> {
    if (this.allAcked()) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.waiting.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ACK_WAIT_MS);
      this.waiting.add(done);
    });
  }

  /** Brings every worker's published traffic into metrics and stats. */
  drain(): void {
    for (const w of this.workers) {
      this.draining = w;
      w.ring.drain(this.replay);
      if (w.requests > 0) {
        this.perWorker.labels(String(w.row)).inc(w.requests);
        w.requests = 0;
      }
    }
    this.draining = null;
  }

  /** SIGTERM: every worker stops accepting, finishes its in-flight requests (bounded), then exits. */
  async shutdown(): Promise<void> {
    this.closing = true;
    const deadline = performance.now() + this.config.shutdownTimeoutMs + 1000;
    const exits = this.workers.map((w) =>
      w.worker === null ? Promise.resolve() : new Promise<void>((resolve) => w.worker?.once('exit', () => resolve())),
    );
    for (const w of this.workers) this.post(w, { type: 'drain' });
    await Promise.race([Promise.all(exits), sleep(Math.max(0, deadline - performance.now()))]);
    for (const w of this.workers) await w.worker?.terminate();
    this.drain();
  }

  private spawn(w: WorkerSlot): Promise<number> {
    const start: WorkerStart = {
      // The starting backends are main-thread business (state file, store); a worker's pool is `backends` below.
      config: { ...this.config, backends: [] },
      row: w.row,
      workers: this.workers.length,
      slots: this.slots.buffer,
      capacity: this.slots.capacity,
      ring: w.ring.buffer,
      port: this.port,
      relay: this.relay,
      version: this.version,
      backends: this.pool.all().map(replicated),
      algorithm: { name: this.algorithm.name, options: this.algorithm.options },
    };
    const worker = new Worker(process.argv[1], {
      workerData: start,
      resourceLimits: { maxYoungGenerationSizeMb: YOUNG_GENERATION_MB },
    });
    w.worker = worker;
    w.acked = this.version;
    w.ready = false;
    return new Promise((resolve, reject) => {
      worker.on('message', (message: FromWorker) => {
        if (message.type === 'ready') {
          w.ready = true;
          w.threadId = message.threadId;
          this.logger.debug(`worker ${w.row} (thread ${message.threadId}) accepting on port ${message.port}`);
          resolve(message.port);
        } else this.received(w, message);
      });
      worker.on('error', (err) => {
        this.logger.error(`worker ${w.row} failed: ${err.message}`);
        if (!w.ready) reject(err);
      });
      worker.on('exit', (code) => this.exited(w, worker, code));
    });
  }

  private exited(w: WorkerSlot, worker: Worker, code: number): void {
    if (w.worker !== worker) return;
    w.worker = null;
    w.ready = false;
    // Its last traffic first, then what it held in flight is let go.
    this.draining = w;
    w.ring.drain(this.replay);
    this.draining = null;
    w.ring.reset();
    const released = this.slots.releaseWorker(w.row);
    this.notifyAcked();
    if (this.closing) return;
    this.restarts.inc();
    this.logger.error(
      `worker ${w.row} exited with code ${code}` +
        (released ? ` holding ${released} request(s) in flight (lost)` : '') +
        '; starting it again',
    );
    this.spawn(w).catch((err: Error) => this.logger.error(`worker ${w.row} did not start again: ${err.message}`));
  }

  private received(w: WorkerSlot, message: FromWorker): void {
    switch (message.type) {
      case 'ack':
        w.acked = Math.max(w.acked, message.version);
        this.notifyAcked();
        return;
      case 'down': {
        const backend = this.pool.bySharedSlot(message.slot);
        if (backend) this.pool.reportedDown(backend, message.reason);
        return;
      }
      case 'outlier-run': {
        const backend = this.pool.bySharedSlot(message.slot);
        if (backend) this.pool.reportedOutlierRun(backend, message.reason);
        return;
      }
      case 'client-limit':
        if (message.event === 'header') this.headerTimeouts.inc();
        else if (message.event === 'idle') this.idleTimeouts.inc();
        else this.rejected.inc();
        return;
      case 'ready':
        return;
    }
  }

  private broadcast(change: PoolChange): void {
    const version = ++this.version;
    for (const w of this.workers) this.post(w, { type: 'change', version, change });
  }

  private post(w: WorkerSlot, message: ToWorker): void {
    w.worker?.postMessage(message);
  }

  private allAcked(): boolean {
    return this.workers.every((w) => w.worker === null || w.acked >= this.version);
  }

  private notifyAcked(): void {
    if (this.waiting.size === 0 || !this.allAcked()) return;
    for (const done of [...this.waiting]) done();
  }
}

function replicated(backend: Backend): ReplicatedBackend {
  return {
    url: backend.url,
    weight: backend.weight,
    slot: backend.slot,
    state: backend.state,
    healthy: backend.healthy,
    ejected: backend.ejected,
  };
}

function changeOf(event: PoolEvent): PoolChange {
  const url = event.backend.url;
  switch (event.type) {
    case 'added':
      return { type: 'added', backend: replicated(event.backend) };
    case 'removed':
      return { type: 'removed', url };
    case 'weight':
      return { type: 'weight', url, weight: event.weight };
    case 'state':
      return { type: 'state', url, state: event.state };
    case 'health':
      return { type: 'health', url, healthy: event.healthy, reason: event.reason };
    case 'outlier':
      return { type: 'outlier', url, ejected: event.ejected, reason: event.reason };
  }
}
