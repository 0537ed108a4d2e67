import type { Server, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { Inject, Injectable } from '@nestjs/common';
import { InjectMetric } from '@willsoto/nestjs-prometheus';
import type { Counter } from 'prom-client';
import { BALANCER_CONFIG, type BalancerConfig } from '../config/balancer-config';
import { METRIC } from '../metrics/metric-definitions';

/**
 * What a client gets when its connection is closed before a request could be read: Node's own
 * answers (431 for a head too large, 400 for a malformed one) plus a plain-text reason for 408.
 */
const TIMEOUT_REASON = 'Request Timeout: the request head did not arrive in time\n';
const REQUEST_TIMEOUT =
  'HTTP/1.1 408 Request Timeout\r\nConnection: close\r\nContent-Type: text/plain; charset=utf-8\r\n' +
  `Content-Length: ${Buffer.byteLength(TIMEOUT_REASON)}\r\n\r\n${TIMEOUT_REASON}`;
const HEADERS_TOO_LARGE = 'HTTP/1.1 431 Request Header Fields Too Large\r\nConnection: close\r\n\r\n';
const CHUNK_EXTENSIONS_TOO_LARGE = 'HTTP/1.1 413 Payload Too Large\r\nConnection: close\r\n\r\n';
const BAD_REQUEST = 'HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n';

/** The longest time between Node's sweeps for expired request heads (its default is 30 s). */
const MAX_CHECK_INTERVAL_MS = 1000;

function answerFor(code: string | undefined): string {
  switch (code) {
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return REQUEST_TIMEOUT;
    case 'HPE_HEADER_OVERFLOW':
      return HEADERS_TOO_LARGE;
    case 'HPE_CHUNK_EXTENSIONS_OVERFLOW':
      return CHUNK_EXTENSIONS_TOO_LARGE;
    default:
      return BAD_REQUEST;
  }
}

/** The response in progress on a client socket, if any (node:http keeps it there). */
type ClientSocket = Duplex & { _httpMessage?: ServerResponse | null };

/** Read by Node when the server starts listening; missing from @types/node's `Server`. */
type ListeningServer = Server & { connectionsCheckingInterval: number };

/**
 * The client side of a proxy listener (nginx's `client_header_timeout`, `keepalive_timeout` and
 * `worker_connections`): `--client-header-timeout` (408 and close for a head not received in
 * time), `--client-idle-timeout` (idle keep-alive connections closed) and `--max-connections`
 * (connections beyond it closed at once), each counted in the metrics. Applied once per server,
 * before it listens; nothing here runs per request.
 */
@Injectable()
export class ClientLimits {
  private readonly headerTimeouts: Counter.Internal;
  private readonly idleTimeouts: Counter.Internal;

  constructor(
    @Inject(BALANCER_CONFIG) private readonly config: BalancerConfig,
    @InjectMetric(METRIC.clientTimeouts) timeouts: Counter<string>,
    @InjectMetric(METRIC.clientConnectionsRejected) private readonly rejected: Counter<string>,
  ) {
    this.headerTimeouts = timeouts.labels('header');
    this.idleTimeouts = timeouts.labels('idle');
    // Both series exist from the start, at 0, so a rate() over them works before the first timeout.
    this.headerTimeouts.inc(0);
    this.idleTimeouts.inc(0);
  }

  /** Call before `listen()`: Node starts its sweep of expired heads when the server starts listening. */
  apply(server: Server): void {
    const headerTimeout = this.config.clientHeaderTimeoutMs;
    server.headersTimeout = headerTimeout;
    // A request whose head arrived has until requestTimeout for its body; never shorter than the head's limit.
    if (server.requestTimeout > 0 && server.requestTimeout < headerTimeout) server.requestTimeout = headerTimeout;
    // Node checks for expired heads only every connectionsCheckingInterval: sweep often enough that
    // the limit holds to within a second (a quarter of a short limit, so 1 s holds to 250 ms).
    (server as ListeningServer).connectionsCheckingInterval = Math.max(
      50,
      Math.min(MAX_CHECK_INTERVAL_MS, Math.floor(headerTimeout / 4)),
    );
    server.keepAliveTimeout = this.config.clientIdleTimeoutMs;
    server.maxConnections = this.config.maxConnections;
    server.on('drop', () => this.rejected.inc());
    server.on('clientError', (err: NodeJS.ErrnoException, socket: ClientSocket) => this.onClientError(err, socket));
    server.on('timeout', (socket: ClientSocket) => this.onSocketTimeout(socket));
  }

  /**
   * Node's default handling (answer if nothing was sent yet, then close), counting the head
   * timeouts. The same error ends a request whose body outlives Node's `requestTimeout` (5 min):
   * that one has a response object already and is not a head timeout.
   */
  private onClientError(err: NodeJS.ErrnoException, socket: ClientSocket): void {
    if (err.code === 'ERR_HTTP_REQUEST_TIMEOUT' && !socket._httpMessage) this.headerTimeouts.inc();
    if (socket.writable && !socket._httpMessage?.headersSent) socket.write(answerFor(err.code));
    socket.destroy();
  }

  /**
   * The only socket timeout on a client connection is the keep-alive one (`server.timeout` stays 0):
   * close it, as Node does when nobody listens.
   */
  private onSocketTimeout(socket: ClientSocket): void {
    if (!socket._httpMessage) this.idleTimeouts.inc();
    socket.destroy();
  }
}
