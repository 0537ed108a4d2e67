import { readFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import type { BackendView } from '@loadex/api';
import { httpRequest } from './http';
import type { RunningProcess } from './processes';

/**
 * Constant concurrent load for the chaos tests and the soak (`scripts/soak.ts`), and the checks of
 * their invariants: idempotent requests that failed, POSTs delivered twice (every tagged write is
 * printed by the demo backend that received it), requests that hit the client's own timeout,
 * active counters, and the balancer's RSS.
 */

export type LoadMethod = 'GET' | 'POST';

export interface LoadResult {
  method: LoadMethod;
  /** The POST's X-Write-Id (also set on GETs, unused there). */
  id: string;
  /** The HTTP status, or 0 when the request failed without one. */
  status: number;
  /** Why it failed without a status: `client-timeout` or the socket error's code. */
  error?: string;
  /** When it started (ms since the load started) and how long it took. */
  startedMs: number;
  durationMs: number;
}

export interface LoadOptions {
  /** The balancer's proxy URL. */
  url: string;
  /** Requests in flight at all times. */
  concurrency: number;
  /** Bounds: the load stops after this many requests or this long, whichever comes first. */
  maxRequests: number;
  maxDurationMs: number;
  /** Share of requests that are `POST /echo` writes (tagged X-Write-Id); the rest `GET /`. */
  postShare: number;
  /** The client gives up on a request after this long (it must never come to that). */
  clientTimeoutMs: number;
  /** Prefix of the write ids, unique per run. */
  idPrefix: string;
}

export interface LoadRun {
  /** Resolves when every worker has finished its last request. */
  done: Promise<void>;
  /** Stops sending new requests (the ones in flight finish). */
  stop(): void;
  sent(): number;
  inFlight(): number;
}

const POST_BODY = Buffer.from(JSON.stringify({ hello: 'loadex', pad: 'x'.repeat(200) }));

/** One request on the shared keep-alive agent; never rejects. */
function send(
  agent: Agent,
  url: string,
  method: LoadMethod,
  id: string,
  timeoutMs: number,
  started: number,
): Promise<LoadResult> {
  return new Promise((resolve) => {
    const t0 = performance.now();
    let settled = false;
    const finish = (status: number, error?: string) => {
      if (settled) return;
      settled = true;
      resolve({ method, id, status, error, startedMs: t0 - started, durationMs: performance.now() - t0 });
    };
    const req = request(
      method === 'GET' ? `${url}/` : `${url}/echo`,
      {
        method,
        agent,
        headers:
          method === 'POST'
            ? { 'content-type': 'application/json', 'content-length': POST_BODY.length, 'x-write-id': id }
            : {},
      },
      (res) => {
        res.resume();
        res.on('end', () => finish(res.statusCode ?? 0));
        res.on('error', (err: NodeJS.ErrnoException) => finish(0, err.code ?? err.message));
      },
    );
    req.setTimeout(timeoutMs, () => {
      finish(0, 'client-timeout');
      req.destroy();
    });
    req.on('error', (err: NodeJS.ErrnoException) => finish(0, err.code ?? err.message));
    req.end(method === 'POST' ? POST_BODY : undefined);
  });
}

/** Starts `concurrency` workers that send requests back to back until a bound is reached or `stop()`. */
export function startLoad(options: LoadOptions, onResult: (result: LoadResult) => void): LoadRun {
  const agent = new Agent({ keepAlive: true, maxSockets: options.concurrency });
  const started = performance.now();
  let next = 0;
  let inFlight = 0;
  let stopped = false;
  const worker = async () => {
    while (!stopped && next < options.maxRequests && performance.now() - started < options.maxDurationMs) {
      const i = next++;
      const method: LoadMethod = (i * 7919) % 100 < options.postShare * 100 ? 'POST' : 'GET';
      inFlight++;
      const result = await send(
        agent,
        options.url,
        method,
        `${options.idPrefix}-${i}`,
        options.clientTimeoutMs,
        started,
      );
      inFlight--;
      onResult(result);
    }
  };
  const done = Promise.all(Array.from({ length: options.concurrency }, worker)).then(() => agent.destroy());
  return { done, stop: () => (stopped = true), sent: () => next, inFlight: () => inFlight };
}

/** Every `write <id>` a demo backend printed, over all `backends` (killed ones too): id → deliveries. */
export function deliveredWrites(backends: Iterable<RunningProcess>): Map<string, number> {
  const deliveries = new Map<string, number>();
  for (const backend of backends) {
    for (const match of backend.output().matchAll(/^write (\S+)$/gm)) {
      deliveries.set(match[1], (deliveries.get(match[1]) ?? 0) + 1);
    }
  }
  return deliveries;
}

/** Writes delivered more than once, and POSTs answered 2xx that no backend received (both must be empty). */
export function writeViolations(
  results: Iterable<LoadResult>,
  deliveries: Map<string, number>,
): { twice: string[]; answeredButNotDelivered: string[] } {
  const twice = [...deliveries].filter(([, n]) => n > 1).map(([id]) => id);
  const answeredButNotDelivered: string[] = [];
  for (const r of results) {
    if (r.method === 'POST' && r.status >= 200 && r.status < 300 && !deliveries.has(r.id)) {
      answeredButNotDelivered.push(r.id);
    }
  }
  return { twice, answeredButNotDelivered };
}

/** A process's resident set size in bytes, from /proc/PID/status (VmRSS). */
export function rssBytes(pid: number): number {
  const match = readFileSync(`/proc/${pid}/status`, 'utf8').match(/^VmRSS:\s+(\d+) kB$/m);
  if (!match) throw new Error(`no VmRSS for pid ${pid}`);
  return Number(match[1]) * 1024;
}

/**
 * Polls the RSS (up to `timeoutMs`, letting the collector run) until it is within `slackBytes` of
 * `baseline`; returns the last reading either way.
 */
export async function settledRss(
  pid: number,
  baseline: number,
  slackBytes: number,
  timeoutMs = 10_000,
): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  let rss = rssBytes(pid);
  while (rss > baseline + slackBytes && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 500));
    rss = rssBytes(pid);
  }
  return rss;
}

/** Waits (bounded) until no backend has an active request; returns the last counters seen. */
export async function settledActiveCounters(adminUrl: string, timeoutMs = 15_000): Promise<Record<string, number>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const views = JSON.parse((await httpRequest(`${adminUrl}/api/backends`)).body) as BackendView[];
    const active = Object.fromEntries(views.map((v) => [v.url, v.activeRequests]));
    if (views.every((v) => v.activeRequests === 0) || Date.now() > deadline) return active;
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** `p` (0..1) of `values`, nearest rank; 0 for none. */
export function percentile(values: number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))];
}
