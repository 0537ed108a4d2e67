import type { ServerResponse } from 'node:http';

/** The proxy's own answers: short plain-text reasons, built once. */
export const NO_BACKEND = plain(503, 'Service Unavailable: no healthy backend\n');
export const ALL_FAILED = plain(502, 'Bad Gateway: every backend attempt failed\n');
export const UPSTREAM_TIMEOUT = plain(504, 'Gateway Timeout: the backend did not answer in time\n');

export interface PlainResponse {
  status: number;
  body: Buffer;
  headers: Record<string, string>;
}

export function plain(status: number, text: string): PlainResponse {
  const body = Buffer.from(text);
  return {
    status,
    body,
    headers: { 'content-type': 'text/plain; charset=utf-8', 'content-length': String(body.length) },
  };
}

export function sendPlain(res: ServerResponse, answer: PlainResponse): void {
  if (res.headersSent || res.destroyed) return;
  // setHeader, not writeHead's headers argument: the access log reads the length back.
  for (const name in answer.headers) res.setHeader(name, answer.headers[name]);
  res.writeHead(answer.status);
  res.end(answer.body);
}
