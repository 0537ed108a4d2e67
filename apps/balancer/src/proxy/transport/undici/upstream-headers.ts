import type { IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';
import { nominated } from '../client-response-headers';

/**
 * Hop-by-hop request headers (RFC 9110 §7.6.1) plus `expect` (Node has already answered the
 * client's 100-continue) and the X-Forwarded-* headers the proxy writes itself. A switch on the
 * length first, so most names are passed over without lower-casing them.
 */
function isDroppedRequestHeader(name: string): boolean {
  switch (name.length) {
    case 2:
      return name.toLowerCase() === 'te';
    case 6:
      return name.toLowerCase() === 'expect';
    case 7: {
      const lower = name.toLowerCase();
      return lower === 'upgrade' || lower === 'trailer';
    }
    case 10: {
      const lower = name.toLowerCase();
      return lower === 'connection' || lower === 'keep-alive';
    }
    case 15:
      return name.toLowerCase() === 'x-forwarded-for';
    case 16: {
      const lower = name.toLowerCase();
      return lower === 'proxy-connection' || lower === 'x-forwarded-host';
    }
    case 17: {
      const lower = name.toLowerCase();
      return lower === 'transfer-encoding' || lower === 'x-forwarded-proto';
    }
    case 19:
      return name.toLowerCase() === 'proxy-authorization';
    default:
      return false;
  }
}

/**
 * The upstream request's headers as undici's flat `[name, value, ...]` array, from the client's
 * raw headers (casing and order kept, `Host` as the client sent it): hop-by-hop headers, those
 * named in `Connection` and `Expect` dropped; X-Forwarded-For appended to, X-Forwarded-Proto and
 * X-Forwarded-Host set. undici frames the body itself (Content-Length or chunked).
 */
export function upstreamRequestHeaders(req: IncomingMessage, clientIp: string): string[] {
  const raw = req.rawHeaders;
  const headers = req.headers;
  const alsoDropped = nominated(headers.connection);
  const out: string[] = [];
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i];
    if (isDroppedRequestHeader(name)) continue;
    if (alsoDropped !== null && alsoDropped.has(name.toLowerCase())) continue;
    out.push(name, raw[i + 1]);
  }
  const prior = headers['x-forwarded-for'];
  out.push('x-forwarded-for', prior ? `${prior}, ${clientIp}` : clientIp);
  out.push('x-forwarded-proto', (req.socket as TLSSocket | null)?.encrypted ? 'https' : 'http');
  if (headers.host !== undefined) out.push('x-forwarded-host', headers.host);
  return out;
}

/** True when the client request carries a body (a length above 0, or chunked). */
export function hasRequestBody(req: IncomingMessage): boolean {
  const headers = req.headers;
  const length = headers['content-length'];
  return (length !== undefined && length !== '0') || headers['transfer-encoding'] !== undefined;
}
