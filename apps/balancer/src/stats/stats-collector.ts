import { Injectable, OnModuleInit, Optional } from '@nestjs/common';
import { ActiveAlgorithm } from '@loadex/algorithms';
import type { BackendStatsView, StatsHistoryPoint, StatsSnapshot } from '@loadex/api';
import { type Backend, ServerPool } from '@loadex/pool';
import { TrafficObserver } from '../traffic/traffic-observer';
import type { TrafficSink } from '../traffic/traffic-sink';
import { ClusterView } from './cluster-view';
import { toBackendView } from '../pool-changes/backend-view';
import { RequestWindow } from './request-window';

/** Recent latencies kept per backend and over all traffic. */
const BACKEND_SAMPLES = 512;
const TOTAL_SAMPLES = 4096;

/** What the collector keeps for one backend beyond the counters the pool already has. */
class BackendTraffic {
  errors = 0;
  constructor(readonly window: RequestWindow) {}
}

/**
 * The numbers behind `GET /api/stats`, the SSE `stats` event, the CLI and the dashboard: totals,
 * per-backend errors, requests/s over the last 10 s and recent latency percentiles. A traffic sink:
 * `requestFinished` runs once per proxied request, is O(1) and allocates nothing after a backend's
 * first request.
 *
 * Errors count answers with status >= 500 (the backend's own and the balancer's 502/503/504) plus
 * attempts that failed at a backend and were retried elsewhere, so a failed request counts once.
 */
@Injectable()
export class StatsCollector implements TrafficSink, OnModuleInit {
  private readonly startedAtMs = Date.now();
  private readonly totals = new RequestWindow(TOTAL_SAMPLES, this.startedAtMs);
  private readonly byBackend = new WeakMap<Backend, BackendTraffic>();
  private readonly scratch = new Float64Array(TOTAL_SAMPLES);
  private totalRequests = 0;
  private totalErrors = 0;

  constructor(
    private readonly pool: ServerPool,
    private readonly algorithm: ActiveAlgorithm,
    private readonly traffic: TrafficObserver,
    @Optional() private readonly cluster?: ClusterView,
  ) {}

  onModuleInit(): void {
    this.traffic.register(this);
  }

  requestFinished(backend: Backend | undefined, _method: string, status: number, seconds: number): void {
    const now = Date.now();
    const latencyMs = seconds * 1000;
    const failed = status >= 500;
    this.totalRequests++;
    if (failed) this.totalErrors++;
    // A proxied WebSocket (101) counts as a request, but its session's length is no latency: it
    // would push the percentiles to minutes whenever a long-lived socket closes.
    const upgraded = status === 101;
    if (upgraded) this.totals.count(now);
    else this.totals.record(now, latencyMs);
    if (!backend) return;
    const traffic = this.trafficOf(backend);
    if (upgraded) traffic.window.count(now);
    else traffic.window.record(now, latencyMs);
    if (failed) traffic.errors++;
  }

  retried(backend: Backend): void {
    this.trafficOf(backend).errors++;
  }

  snapshot(): StatsSnapshot {
    this.traffic.beforeRead();
    const now = Date.now();
    const backends: BackendStatsView[] = this.pool.all().map((backend) => {
      const traffic = this.byBackend.get(backend);
      return {
        url: backend.url,
        weight: backend.weight,
        healthy: backend.healthy,
        state: backend.state,
        requests: backend.totalRequests,
        errors: traffic?.errors ?? 0,
        activeRequests: backend.activeRequests,
        rps: traffic ? traffic.window.rps(now) : 0,
        latency: traffic ? traffic.window.latency(now, this.scratch) : { p50: null, p95: null, p99: null },
        outlier: toBackendView(backend).outlier,
      };
    });
    return {
      at: new Date(now).toISOString(),
      uptimeSeconds: Math.floor(process.uptime()),
      algorithm: this.algorithm.name,
      totals: {
        requests: this.totalRequests,
        errors: this.totalErrors,
        activeRequests: this.pool.activeRequests(),
        rps: this.totals.rps(now),
        latency: this.totals.latency(now, this.scratch),
      },
      backends,
      ...this.cluster?.current(),
    };
  }

  /** The part of a snapshot the charts keep a past of: counts and the total latency, no per-backend percentiles. */
  historyPoint(): StatsHistoryPoint {
    this.traffic.beforeRead();
    const now = Date.now();
    return {
      at: new Date(now).toISOString(),
      totals: { requests: this.totalRequests, latency: this.totals.latency(now, this.scratch) },
      backends: this.pool.all().map((backend) => ({ url: backend.url, requests: backend.totalRequests })),
    };
  }

  private trafficOf(backend: Backend): BackendTraffic {
    let traffic = this.byBackend.get(backend);
    if (!traffic) {
      traffic = new BackendTraffic(new RequestWindow(BACKEND_SAMPLES, this.startedAtMs));
      this.byBackend.set(backend, traffic);
    }
    return traffic;
  }
}
