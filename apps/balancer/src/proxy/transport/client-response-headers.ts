import type { IncomingMessage } from 'node:http';

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
export function nominated(connection: string | undefined): Set<string> | null {
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
 * May the client's response carry the backend's `Transfer-Encoding`? Not to an HTTP/1.0 client,
 * which cannot read chunked framing (RFC 9112 §6.1: Node then ends the body by closing the
 * connection), and not on a 204 or 304, which have no body to frame.
 */
export function keepsTransferEncoding(req: IncomingMessage, status: number): boolean {
  return !(req.httpVersionMajor === 1 && req.httpVersionMinor === 0) && status !== 204 && status !== 304;
}

/**
 * The backend's raw response headers as a flat array for `res.writeHead`: casing and order kept,
 * repeated headers (Set-Cookie) as separate lines; hop-by-hop headers and those the backend named
 * in `Connection` dropped, so its `Connection: close` or `Keep-Alive` never reaches our client.
 * `Transfer-Encoding` stays (Node frames the body by it) unless `keepTransferEncoding` is false
 * (`keepsTransferEncoding`). Both engines write the response head with it. Bytes are read as
 * latin1 and written back as latin1 by Node: header bytes pass unchanged.
 */
export function clientResponseHeaders(
  raw: readonly Buffer[] | readonly string[],
  keepTransferEncoding: boolean,
): string[] {
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
    } else if (name.length === 17 && !keepTransferEncoding && name.toLowerCase() === 'transfer-encoding') continue;
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
