import { Injectable, OnModuleInit } from '@nestjs/common';
import type { Backend } from '@loadex/pool';
import { TrafficObserver } from '../traffic/traffic-observer';
import type { TrafficSink, UpstreamErrorKind } from '../traffic/traffic-sink';
import { methodCode, RingEvent, TrafficRing, UPSTREAM_KINDS } from './traffic-ring';

/** A worker's traffic sink: every event goes into its ring for the main thread's metrics and stats. */
@Injectable()
export class WorkerTrafficWriter implements TrafficSink, OnModuleInit {
  constructor(
    private readonly traffic: TrafficObserver,
    private readonly ring: TrafficRing,
  ) {}

  onModuleInit(): void {
    this.traffic.register(this);
  }

  requestFinished(backend: Backend | undefined, method: string, status: number, seconds: number): void {
    this.ring.write(RingEvent.Finished, backend === undefined ? -1 : backend.slot, methodCode(method), status, seconds);
  }

  retried(backend: Backend, reason: UpstreamErrorKind): void {
    this.ring.write(RingEvent.Retried, backend.slot, UPSTREAM_KINDS.indexOf(reason), 0, 0);
  }

  retryRefused(backend: Backend): void {
    this.ring.write(RingEvent.RetryRefused, backend.slot, 0, 0, 0);
  }

  upstreamError(backend: Backend, kind: UpstreamErrorKind): void {
    this.ring.write(RingEvent.UpstreamError, backend.slot, UPSTREAM_KINDS.indexOf(kind), 0, 0);
  }
}
