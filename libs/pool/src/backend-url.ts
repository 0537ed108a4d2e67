import { z } from 'zod';

/** The one place that turns user text into a backend origin, for flags, config, state file and API. */
export const MAX_BACKEND_URL_LENGTH = 2048;

export class BackendUrlError extends Error {}

/**
 * Accepts an absolute http(s) URL with a host and no credentials, query or fragment; a path of
 * `/` only (the balancer forwards the client's path). Returns the parsed URL normalised to its origin.
 */
export function parseBackendUrl(text: string): URL {
  if (text.length === 0) throw new BackendUrlError('backend URL is empty');
  if (text.length > MAX_BACKEND_URL_LENGTH) {
    throw new BackendUrlError(`backend URL is longer than ${MAX_BACKEND_URL_LENGTH} characters`);
  }
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new BackendUrlError(`"${text}" is not an absolute URL (expected http://host:port)`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new BackendUrlError(`"${text}" must use http: or https:, not ${url.protocol}`);
  }
  if (!url.hostname) throw new BackendUrlError(`"${text}" has no host`);
  if (url.username || url.password) throw new BackendUrlError(`"${text}" must not contain credentials`);
  if (url.search || text.includes('?')) throw new BackendUrlError(`"${text}" must not contain a query`);
  if (url.hash || text.includes('#')) throw new BackendUrlError(`"${text}" must not contain a fragment`);
  if (url.pathname !== '/' && url.pathname !== '') {
    throw new BackendUrlError(`"${text}" must be an origin without a path (got ${url.pathname})`);
  }
  return new URL(url.origin);
}

/** `parseBackendUrl` as a zod field (admin API bodies and queries, the state file): becomes the parsed `URL`. */
export const backendUrlField = z
  .string({ error: 'expected an absolute http(s) URL string' })
  .transform((text, ctx) => {
    try {
      return parseBackendUrl(text);
    } catch (err) {
      if (!(err instanceof BackendUrlError)) throw err;
      ctx.addIssue({ code: 'custom', message: err.message });
      return z.NEVER;
    }
  })
  .meta({
    description: `absolute http: or https: origin, no credentials, query or fragment, at most ${MAX_BACKEND_URL_LENGTH} characters`,
    example: 'http://127.0.0.1:8001',
  });
