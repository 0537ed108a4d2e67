import { Injectable } from '@nestjs/common';
import type { Backend } from '@loadex/pool';
import type { HealthCheckResult, TrafficSink, UpstreamErrorKind } from './traffic-sink';

/** Fans traffic events out to the registered sinks (metrics, stats). */
@Injectable()
export class TrafficObserver {
  private sinks: TrafficSink[] = [];

  register(sink: TrafficSink): void {
    this.sinks = [...this.sinks, sink];
  }

  requestFinished(backend: Backend | undefined, method: string, status: number, seconds: number): void {
    for (const sink of this.sinks) sink.requestFinished(backend, method, status, seconds);
  }

  retried(backend: Backend, reason: UpstreamErrorKind): void {
    for (const sink of this.sinks) sink.retried?.(backend, reason);
  }

  upstreamError(backend: Backend, kind: UpstreamErrorKind): void {
    for (const sink of this.sinks) sink.upstreamError?.(backend, kind);
  }

  healthChecked(result: HealthCheckResult): void {
    for (const sink of this.sinks) sink.healthChecked?.(result);
  }
}
