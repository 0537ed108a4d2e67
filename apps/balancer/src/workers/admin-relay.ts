import { Agent, type IncomingMessage, request, type ServerResponse } from 'node:http';
import { plain, sendPlain } from '../proxy/plain-responses';
import { RELAY_CLIENT_HEADER, RELAY_SECRET_HEADER } from './relayed-client';

const RELAY_FAILED = plain(502, 'Bad Gateway: the admin listener did not answer\n');

/**
 * With --workers and no --admin-port, a worker hands the admin paths on the proxy port to the main
 * thread's private admin listener on loopback, streamed both ways (SSE included). The client's
 * address travels in a header the main thread believes only with this process's random secret,
 * since its allow-list trusts loopback; Host and Origin pass unchanged for the admin gate.
 */
export class AdminRelay {
  private readonly agent = new Agent({ keepAlive: true, maxSockets: 64 });
  /** Relays in progress (an SSE stream stays here while it lasts), ended cleanly on shutdown. */
  private readonly open = new Map<ServerResponse, () => void>();

  constructor(
    private readonly port: number,
    private readonly secret: string,
  ) {}

  forward(req: IncomingMessage, res: ServerResponse): void {
    const headers = { ...req.headers };
    headers[RELAY_SECRET_HEADER] = this.secret;
    headers[RELAY_CLIENT_HEADER] = req.socket.remoteAddress ?? '';
    const upstream = request(
      { host: '127.0.0.1', port: this.port, method: req.method, path: req.url, headers, agent: this.agent },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.rawHeaders);
        res.flushHeaders();
        answer.pipe(res);
      },
    );
    upstream.on('error', () => {
      if (!res.headersSent) sendPlain(res, RELAY_FAILED);
      else res.destroy();
    });
    this.open.set(res, () => {
      upstream.destroy();
      if (res.headersSent) res.end();
      else sendPlain(res, RELAY_FAILED);
    });
    res.on('close', () => {
      this.open.delete(res);
      if (!res.writableFinished) upstream.destroy();
    });
    req.pipe(upstream);
  }

  /** On shutdown: every relayed response (SSE streams included) is ended, not cut mid-chunk. */
  endAll(): void {
    for (const end of [...this.open.values()]) end();
    this.open.clear();
    this.agent.destroy();
  }
}
