import { Agent, request } from 'node:http';

export interface SimpleResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** A plain HTTP/1.1 request over node:http (the agent is yours to choose: keep-alive or not). */
export function httpRequest(
  url: string,
  options: {
    method?: string;
    headers?: Record<string, string>;
    body?: Buffer | string;
    agent?: Agent | false;
    timeoutMs?: number;
  } = {},
): Promise<SimpleResponse> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      { method: options.method ?? 'GET', headers: options.headers, agent: options.agent ?? false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString() }),
        );
        res.on('error', reject);
      },
    );
    req.setTimeout(options.timeoutMs ?? 30_000, () => req.destroy(new Error(`timeout: ${url}`)));
    req.on('error', reject);
    req.end(options.body);
  });
}

/**
 * Sends `total` requests from `concurrency` parallel workers and returns every response
 * (or the error it failed with). Bounded by count: it always stops by itself.
 */
export async function sendMany(
  total: number,
  concurrency: number,
  send: (i: number) => Promise<SimpleResponse>,
): Promise<Array<SimpleResponse | Error>> {
  const results: Array<SimpleResponse | Error> = new Array(total);
  let next = 0;
  const worker = async () => {
    while (next < total) {
      const i = next++;
      try {
        results[i] = await send(i);
      } catch (err) {
        results[i] = err as Error;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, total) }, worker));
  return results;
}

/**
 * True for a request that failed without a response. A shape check, not `instanceof Error`: errors
 * made by Node's core come from another realm inside jest and fail `instanceof`.
 */
export function isFailure(r: SimpleResponse | Error): r is Error {
  return typeof (r as Partial<SimpleResponse>).status !== 'number';
}

/** Counts responses by the backend that answered ("Response from backend: http://localhost:PORT"). */
export function countByBackend(results: Array<SimpleResponse | Error>): Map<number, number> {
  const counts = new Map<number, number>();
  for (const r of results) {
    if (isFailure(r)) continue;
    const m = r.body.match(/localhost:(\d+)/);
    if (m) counts.set(Number(m[1]), (counts.get(Number(m[1])) ?? 0) + 1);
  }
  return counts;
}

/**
 * The one polling helper: calls `condition` every `stepMs` until it returns true, and rejects after
 * `timeoutMs` (the error says `what` was awaited; a function is called then, to describe the last
 * state seen). A condition that throws stops the wait with its error (a process that exited, say).
 */
export async function waitFor(
  condition: () => Promise<boolean> | boolean,
  timeoutMs = 15_000,
  stepMs = 50,
  what: string | (() => string) = 'condition',
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) {
      throw new Error(`${typeof what === 'function' ? what() : what} not met within ${timeoutMs} ms`);
    }
    await new Promise((r) => setTimeout(r, stepMs));
  }
}
