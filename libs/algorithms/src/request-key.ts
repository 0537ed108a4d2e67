import type { RequestInfo } from './algorithm';
import { fnv1a } from './hashing';

/** What the `hash` algorithm hashes: `ip`, `path`, `header:NAME`, `cookie:NAME` or `query:NAME`. */
export const HASH_KEY_PATTERN = /^(ip|path|(header|cookie|query):[!#$%&'*+.^_`|~0-9A-Za-z-]{1,128})$/;
export const HASH_KEY_RULE = 'expected ip, path, header:NAME, cookie:NAME or query:NAME';

/** No key in this request: the caller falls back. */
export const NO_KEY = -1;

/**
 * Hashes one part of a request, found once the spec is parsed: no string is built per request,
 * cookies and query strings are scanned for the one name rather than parsed whole.
 * Returns a 32-bit hash, or NO_KEY when the request does not carry the key (or it is empty).
 */
export type RequestKeyHasher = (request: RequestInfo) => number;

export function requestKeyHasher(spec: string): RequestKeyHasher {
  const colon = spec.indexOf(':');
  const kind = colon === -1 ? spec : spec.slice(0, colon);
  const name = colon === -1 ? '' : spec.slice(colon + 1);
  switch (kind) {
    case 'ip':
      return (request) => (request.clientIp.length === 0 ? NO_KEY : fnv1a(request.clientIp));
    case 'path':
      return (request) => hashPath(request.url);
    case 'header': {
      const header = name.toLowerCase();
      return (request) => hashHeader(request.headers[header]);
    }
    case 'cookie':
      return (request) => hashCookie(request.headers.cookie, name);
    case 'query': {
      const prefix = `${name}=`;
      return (request) => hashQuery(request.url, prefix);
    }
    default:
      throw new Error(`hash key "${spec}": ${HASH_KEY_RULE}`);
  }
}

function hashPath(url: string): number {
  let end = url.indexOf('?');
  if (end === -1) end = url.indexOf('#');
  if (end === -1) end = url.length;
  return fnv1a(url, undefined, 0, end);
}

function hashHeader(value: string | string[] | undefined): number {
  const text = typeof value === 'string' ? value : value?.[0];
  return text ? fnv1a(text) : NO_KEY;
}

/** Finds `name=value` in a Cookie header (pairs split by `;`, optional spaces) and hashes value. */
function hashCookie(header: string | string[] | undefined, name: string): number {
  if (typeof header !== 'string') return NO_KEY;
  const end = cookieValueEnd(header, name);
  return end === -1 ? NO_KEY : fnv1a(header, undefined, valueStart, end);
}

/** Where the value found by the last `cookieValueEnd` starts (set by it; one call at a time). */
let valueStart = 0;

/**
 * Finds `name=value` in a Cookie header without parsing the rest: returns where the value ends
 * (and sets `valueStart`), or -1 when the cookie is absent or empty.
 */
function cookieValueEnd(header: string, name: string): number {
  let from = 0;
  for (;;) {
    const at = header.indexOf(name, from);
    if (at === -1) return -1;
    const eq = at + name.length;
    from = at + 1;
    if (header.charCodeAt(eq) !== 61 /* = */ || !startsPair(header, at)) continue;
    let end = header.indexOf(';', eq + 1);
    if (end === -1) end = header.length;
    while (end > eq + 1 && isSpace(header.charCodeAt(end - 1))) end--;
    if (end <= eq + 1) return -1;
    valueStart = eq + 1;
    return end;
  }
}

/** The value of cookie `name` in a Cookie header, or undefined when it is absent or empty. */
export function cookieValue(header: string | string[] | undefined, name: string): string | undefined {
  if (typeof header !== 'string') return undefined;
  const end = cookieValueEnd(header, name);
  return end === -1 ? undefined : header.slice(valueStart, end);
}

/** True when `at` starts a cookie pair: at the beginning, or after `;` and optional spaces. */
function startsPair(header: string, at: number): boolean {
  let i = at - 1;
  while (i >= 0 && isSpace(header.charCodeAt(i))) i--;
  return i < 0 || header.charCodeAt(i) === 59; /* ; */
}

function isSpace(code: number): boolean {
  return code === 32 || code === 9;
}

/** Finds the first `name=value` in the query string (raw, not decoded) and hashes value. */
function hashQuery(url: string, prefix: string): number {
  const q = url.indexOf('?');
  if (q === -1) return NO_KEY;
  let end = url.indexOf('#', q);
  if (end === -1) end = url.length;
  let pos = q + 1;
  while (pos < end) {
    let next = url.indexOf('&', pos);
    if (next === -1 || next > end) next = end;
    if (url.startsWith(prefix, pos)) {
      const start = pos + prefix.length;
      return next > start ? fnv1a(url, undefined, start, next) : NO_KEY;
    }
    pos = next + 1;
  }
  return NO_KEY;
}
