import { Injectable } from '@nestjs/common';
import { type Backend, Signal } from '@loadex/pool';
import type { HealthCheckResult, TrafficSink, UpstreamErrorKind } from './traffic-sink';

/**
 * The traffic events (one `Signal` each) that metrics and stats follow. The proxy and the health
 * checker report through the methods below: each is one direct call into its signal, which calls
 * the listeners in a plain loop, so a request's events allocate nothing.
 */
@Injectable()
export class TrafficObserver {
  /** A client request ended; `backend` is undefined when it never reached one (503). */
  readonly finished = new Signal<[backend: Backend | undefined, method: string, status: number, seconds: number]>();
  /** A request failed at `backend` and will be tried on another one. */
  readonly retries = new Signal<[backend: Backend, reason: UpstreamErrorKind]>();
  /** A retry after `backend` failed was refused by the retry budget (the request got 502). */
  readonly refusedRetries = new Signal<[backend: Backend]>();
  /** An attempt failed at `backend` before it produced a response. */
  readonly upstreamErrors = new Signal<[backend: Backend, kind: UpstreamErrorKind]>();
  /** An active health check finished. */
  readonly healthChecks = new Signal<[result: HealthCheckResult]>();
  /** Readers (metrics, stats) are about to read: traffic recorded elsewhere (worker threads) is brought in first. */
  readonly reading = new Signal<[]>();

  /**
   * Subscribes each event `sink` implements; returns the function that unsubscribes them all. The
   * listeners are arrow functions calling the sink's methods: V8 inlines them, while a call through
   * a bound method measured about three times slower per emit.
   */
  register(sink: TrafficSink): () => void {
    const unsubscribers = [this.finished.on((b, method, status, s) => sink.requestFinished(b, method, status, s))];
    if (sink.retried) unsubscribers.push(this.retries.on((b, reason) => sink.retried?.(b, reason)));
    if (sink.retryRefused) unsubscribers.push(this.refusedRetries.on((b) => sink.retryRefused?.(b)));
    if (sink.upstreamError) unsubscribers.push(this.upstreamErrors.on((b, kind) => sink.upstreamError?.(b, kind)));
    if (sink.healthChecked) unsubscribers.push(this.healthChecks.on((result) => sink.healthChecked?.(result)));
    return () => {
      for (const unsubscribe of unsubscribers) unsubscribe();
    };
  }

  requestFinished(backend: Backend | undefined, method: string, status: number, seconds: number): void {
    this.finished.emit(backend, method, status, seconds);
  }

  retried(backend: Backend, reason: UpstreamErrorKind): void {
    this.retries.emit(backend, reason);
  }

  retryRefused(backend: Backend): void {
    this.refusedRetries.emit(backend);
  }

  upstreamError(backend: Backend, kind: UpstreamErrorKind): void {
    this.upstreamErrors.emit(backend, kind);
  }

  healthChecked(result: HealthCheckResult): void {
    this.healthChecks.emit(result);
  }

  /** Call before reading what the sinks recorded (a /metrics scrape, a stats snapshot). */
  beforeRead(): void {
    this.reading.emit();
  }
}
