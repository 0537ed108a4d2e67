import type { IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';

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

/** Hop-by-hop response headers: never passed to the client (it has its own connection with us). */
function isHopByHopResponseHeader(lower: string): boolean {
  switch (lower.length) {
    case 2:
      return lower === 'te';
    case 7:
      return lower === 'upgrade' || lower === 'trailer';
    case 10:
      return lower === 'connection' || lower === 'keep-alive';
    case 16:
      return lower === 'proxy-connection';
    case 19:
      return lower === 'proxy-authorization';
    default:
      return false;
  }
}

/** 1 at the lengths of the hop-by-hop response header names (2, 7, 10, 16, 19). */
const HOP_BY_HOP_LENGTHS = new Uint8Array(32);
for (const length of [2, 7, 10, 16, 19]) HOP_BY_HOP_LENGTHS[length] = 1;

const KEEP_ALIVE_OR_CLOSE = /^\s*(?:keep-alive|close)\s*$/i;

/** Names listed in a `Connection` header (besides close / keep-alive), lower case; null when none. */
function nominated(connection: string | undefined): Set<string> | null {
  // The common case, `keep-alive` or `close` alone, without splitting.
  if (connection === undefined || KEEP_ALIVE_OR_CLOSE.test(connection)) return null;
  let names: Set<string> | null = null;
  for (const token of connection.split(',')) {
    const name = token.trim().toLowerCase();
    if (name && name !== 'close' && name !== 'keep-alive') (names ??= new Set()).add(name);
  }
  return names;
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

/**
 * The backend's raw response headers as a flat array for `res.writeHead`: casing and order kept,
 * repeated headers (Set-Cookie) as separate lines; hop-by-hop headers and those the backend named
 * in `Connection` dropped, so its `Connection: close` or `Keep-Alive` never reaches our client.
 * Bytes are read as latin1 and written back as latin1 by Node: header bytes pass unchanged.
 */
export function clientResponseHeaders(raw: readonly Buffer[] | readonly string[]): string[] {
  const out: string[] = [];
  let alsoDropped: Set<string> | null = null;
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i].toString('latin1');
    // Only names as long as a hop-by-hop one are lower-cased and compared.
    if (HOP_BY_HOP_LENGTHS[name.length] === 1) {
      const lower = name.toLowerCase();
      if (lower === 'connection') {
        alsoDropped = nominated(raw[i + 1].toString('latin1'));
        continue;
      }
      if (isHopByHopResponseHeader(lower)) continue;
    }
    out.push(name, raw[i + 1].toString('latin1'));
  }
  if (alsoDropped === null) return out;
  const kept: string[] = [];
  for (let i = 0; i < out.length; i += 2) {
    const lower = out[i].toLowerCase();
    // Transfer-Encoding frames the body; it stays whatever the backend listed.
    if (!alsoDropped.has(lower) || lower === 'transfer-encoding') kept.push(out[i], out[i + 1]);
  }
  return kept;
}
