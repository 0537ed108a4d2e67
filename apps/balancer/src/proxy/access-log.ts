import type { ServerResponse } from 'node:http';
import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import pino, { type Logger } from 'pino';
import { BALANCER_CONFIG, type BalancerConfig } from '../config/balancer-config';
import type { ProxyAttempt } from './proxy-attempt';

/**
 * `--access-log`: one JSON line per proxied request (nginx's combined fields plus the backend, the
 * attempts and the upstream time), through its own pino logger on an asynchronous stdout stream,
 * so the request path only builds one small object and hands it over; the write happens later,
 * in batches. Off by default; its cost is measured in docs/performance.md.
 */
@Injectable()
export class AccessLog implements OnApplicationShutdown {
  readonly enabled: boolean;
  private readonly logger: Logger | null;
  private readonly destination: (pino.DestinationStream & { flushSync?: () => void }) | null;

  constructor(@Inject(BALANCER_CONFIG) config: BalancerConfig) {
    this.enabled = config.accessLog;
    this.destination = this.enabled ? pino.destination({ dest: 1, sync: false }) : null;
    this.logger = this.destination
      ? pino({ base: null, messageKey: 'msg', timestamp: pino.stdTimeFunctions.isoTime }, this.destination)
      : null;
  }

  /** The request's response closed with `status` (499: the client left first). */
  write(attempt: ProxyAttempt, res: ServerResponse, status: number, seconds: number): void {
    this.logger!.info({
      type: 'access',
      client: attempt.clientIp,
      method: attempt.method,
      path: attempt.url,
      status,
      bytes: attempt.responseBytes >= 0 ? attempt.responseBytes : Number(res.getHeader('content-length') ?? 0),
      durationMs: Math.round(seconds * 1e4) / 10,
      upstreamMs: attempt.ttfbMs < 0 ? null : Math.round(attempt.ttfbMs * 10) / 10,
      backend: attempt.lastBackend?.url ?? null,
      attempts: attempt.attempts,
      userAgent: attempt.headers['user-agent'] ?? null,
    });
  }

  onApplicationShutdown(): void {
    this.destination?.flushSync?.();
  }
}
