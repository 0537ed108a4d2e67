import type { ClientRequest, IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';

/** Hop-by-hop headers (RFC 9110 §7.6.1): meaningful for one connection only, never forwarded. */
const HOP_BY_HOP = [
  'connection',
  'keep-alive',
  'proxy-connection',
  'proxy-authorization',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
];

/**
 * Runs on every upstream request before its headers go out: drops hop-by-hop headers (and any
 * the client listed in `Connection`), appends the client to X-Forwarded-For and sets
 * X-Forwarded-Proto and X-Forwarded-Host. Node re-frames the body itself (chunked or length).
 */
export function rewriteUpstreamHeaders(proxyReq: ClientRequest, req: IncomingMessage, clientIp: string): void {
  const headers = req.headers;
  const connection = headers.connection;
  if (connection !== undefined) {
    for (const token of connection.split(',')) {
      const name = token.trim().toLowerCase();
      if (name && name !== 'close' && name !== 'keep-alive') proxyReq.removeHeader(name);
    }
  }
  for (const name of HOP_BY_HOP) {
    if (headers[name] !== undefined && name !== 'transfer-encoding') proxyReq.removeHeader(name);
  }
  setForwardedHeaders(proxyReq, req, clientIp);
}

/**
 * Appends the client to X-Forwarded-For and sets X-Forwarded-Proto and X-Forwarded-Host. On its
 * own for WebSocket upgrades, whose `Connection: upgrade` and `Upgrade` must pass.
 */
export function setForwardedHeaders(proxyReq: ClientRequest, req: IncomingMessage, clientIp: string): void {
  const headers = req.headers;
  const prior = headers['x-forwarded-for'];
  proxyReq.setHeader('x-forwarded-for', prior ? `${prior}, ${clientIp}` : clientIp);
  proxyReq.setHeader('x-forwarded-proto', (req.socket as TLSSocket).encrypted ? 'https' : 'http');
  if (headers.host !== undefined) proxyReq.setHeader('x-forwarded-host', headers.host);
}
