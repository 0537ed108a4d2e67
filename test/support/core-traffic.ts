import { Agent, createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { backendViews } from './admin-api';
import { httpRequest, isFailure, type SimpleResponse, waitFor } from './http';
import { type Balancer, type RunningProcess, waitForOutputAfter } from './processes';

/**
 * Helpers for the core balancer's tests (unit/algo/e2e/chaos groups): log waits that only look at
 * new output, in-process raw HTTP servers that misbehave on purpose, and tallies.
 */

/** A keep-alive client agent; destroy it in afterAll. */
export function keepAliveAgent(maxSockets = 100): Agent {
  return new Agent({ keepAlive: true, maxSockets });
}

/** A mark in a process's output: `waitForNewOutput` only looks past it. */
export function outputMark(proc: RunningProcess): number {
  return proc.output().length;
}

/** Waits until `pattern` appears in the output printed after `mark`. */
export const waitForNewOutput = waitForOutputAfter;

/** How often `pattern` occurs in the process's output. */
export function countOutput(proc: RunningProcess, pattern: RegExp): number {
  return (
    proc.output().match(new RegExp(pattern.source, pattern.flags.includes('g') ? pattern.flags : pattern.flags + 'g'))
      ?.length ?? 0
  );
}

/** Escapes a string for use inside a RegExp. */
export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export interface RawServer {
  server: Server;
  port: number;
  url: string;
  /** Requests that reached the handler, by method and path. */
  received: Array<{ method: string; url: string }>;
  /** TCP connections accepted so far. */
  connections(): number;
  close(): Promise<void>;
}

/**
 * An in-process HTTP server on 127.0.0.1 with an ephemeral port, for behaviour the demo backend
 * cannot show (resets, hangs, odd headers). `/health` answers 200 unless the handler says otherwise.
 */
export async function startRawServer(
  handler: (req: IncomingMessage, res: ServerResponse, socket: Socket) => void,
): Promise<RawServer> {
  const received: RawServer['received'] = [];
  let connections = 0;
  const sockets = new Set<Socket>();
  const server = createServer((req, res) => {
    received.push({ method: req.method ?? '', url: req.url ?? '' });
    handler(req, res, req.socket);
  });
  server.on('connection', (socket: Socket) => {
    connections++;
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    server,
    port,
    url: `http://127.0.0.1:${port}`,
    received,
    connections: () => connections,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** Answers /health with 200 OK; returns true when it did. */
export function answerHealth(req: IncomingMessage, res: ServerResponse): boolean {
  if (req.url !== '/health') return false;
  res.writeHead(200, { 'content-type': 'text/plain' }).end('OK');
  return true;
}

export { isFailure };

/** The port named in a demo backend's answer ("Response from backend: http://localhost:PORT" or /echo's JSON). */
export function answeringPort(r: SimpleResponse | Error): number | undefined {
  if (isFailure(r)) return undefined;
  const m = r.body.match(/localhost:(\d+)/) ?? r.body.match(/"port":(\d+)/);
  return m ? Number(m[1]) : undefined;
}

/** Serial GETs of `path`, returning the answering port of each, in order. */
export async function serialPorts(url: string, n: number, agent: Agent | false = false): Promise<number[]> {
  const ports: number[] = [];
  for (let i = 0; i < n; i++) {
    const r = await httpRequest(url, { agent });
    if (r.status !== 200) throw new Error(`request ${i} answered ${r.status}: ${r.body}`);
    ports.push(answeringPort(r) ?? -1);
  }
  return ports;
}

export function statusCounts(results: Array<SimpleResponse | Error>): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const r of results) {
    const key = isFailure(r) ? `error:${(r as NodeJS.ErrnoException).code ?? r.message}` : String(r.status);
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return counts;
}

export { backendViews };

/** Waits until the balancer has finished its first health check of `backendUrl` (GET /api/backends). */
export async function waitForFirstCheck(balancer: Balancer, backendUrl: string, timeoutMs = 20_000): Promise<void> {
  await waitFor(
    async () => Boolean((await backendViews(balancer)).find((v) => v.url === backendUrl)?.lastCheckAt),
    timeoutMs,
    25,
    `a first health check of ${backendUrl}`,
  );
}
