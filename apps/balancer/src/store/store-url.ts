import { hostname } from 'node:os';

/** A validated `--store` URL: what ioredis connects to and what logs and errors may show. */
export interface StoreUrl {
  /** The URL as given, password included: only ever handed to the Redis client. */
  readonly href: string;
  /** The same URL with any password replaced by `***`: safe for logs, errors and the API. */
  readonly display: string;
  readonly tls: boolean;
  readonly host: string;
  readonly port: number;
  readonly db: number;
}

/** A `redis://` or `rediss://` URL → `StoreUrl`, or a sentence saying what is wrong with it. */
export function parseStoreUrl(text: string): StoreUrl | string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return 'expected redis://[:password@]host[:port][/db] or rediss://...';
  }
  if (url.protocol !== 'redis:' && url.protocol !== 'rediss:') {
    return `expected a redis:// or rediss:// URL, not ${url.protocol}//`;
  }
  if (!url.hostname) return 'expected a host name: redis://host[:port][/db]';
  const path = url.pathname.replace(/^\//, '');
  if (path !== '' && !/^\d{1,5}$/.test(path)) return `expected a database number after the host, not "/${path}"`;
  if (url.search || url.hash) return 'expected no query or fragment in the URL';
  return {
    href: text,
    display: redactStoreUrl(text),
    tls: url.protocol === 'rediss:',
    host: url.hostname,
    port: url.port ? Number(url.port) : 6379,
    db: path ? Number(path) : 0,
  };
}

/** The URL with its password (and a user name's password) masked. */
export function redactStoreUrl(text: string): string {
  try {
    const url = new URL(text);
    if (url.password) url.password = '***';
    return url.toString().replace(/\/$/, '');
  } catch {
    return text.replace(/\/\/[^@/]*@/, '//***@');
  }
}

/** `--instance` when not given: the host name and the proxy port (the process id with --port 0). */
export function defaultInstanceName(port: number): string {
  return `${hostname()}:${port === 0 ? `pid${process.pid}` : port}`;
}
