/* The admin REST API, with the token added when one is stored and asked for on a 401. */
import { askForToken, forgetToken, storedToken } from './token.js';

/** An error answer of the admin API: `{statusCode, message}`. */
export class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

async function readBody(res) {
  const text = await res.text();
  if (!text) return null;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function messageOf(body, res) {
  if (body && typeof body === 'object') {
    const message = body.message;
    if (Array.isArray(message)) return message.join('; ');
    if (typeof message === 'string') return message;
  }
  if (typeof body === 'string' && body) return body.slice(0, 200);
  return `${res.status} ${res.statusText}`;
}

/**
 * Calls the admin API: `method`, `path` (e.g. "/api/backends"), an optional JSON body. Resolves
 * with the parsed answer; rejects with an ApiError (status and the API's own message).
 */
export async function api(method, path, body) {
  for (let attempt = 0; ; attempt++) {
    const headers = { accept: 'application/json' };
    const token = storedToken();
    if (token) headers.authorization = `Bearer ${token}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    let res;
    try {
      res = await fetch(path, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        cache: 'no-store',
      });
    } catch {
      throw new ApiError(0, 'the balancer did not answer');
    }
    const answer = await readBody(res);
    if (res.status === 401 && attempt < 3) {
      if (token) forgetToken();
      const entered = await askForToken(
        token
          ? 'That token was not accepted. Try again:'
          : 'This balancer needs its admin token (--admin-token) for changes.',
      );
      if (entered) continue;
    }
    if (!res.ok) throw new ApiError(res.status, messageOf(answer, res));
    return answer;
  }
}

export const getBackends = () => api('GET', '/api/backends');
export const getStats = () => api('GET', '/api/stats');
export const getAlgorithm = () => api('GET', '/api/algorithm');
export const setAlgorithm = (algorithm) => api('PUT', '/api/algorithm', { algorithm });
export const addBackend = (url, weight) =>
  api('POST', '/api/backends', weight === undefined ? { url } : { url, weight });
export const updateBackend = (url, change) => api('PATCH', '/api/backends', { url, ...change });
export const removeBackend = (url) => api('DELETE', `/api/backends?url=${encodeURIComponent(url)}`);
export const getLabControl = (url) => api('GET', `/api/backends/control?url=${encodeURIComponent(url)}`);
export const setLabControl = (url, change) =>
  api('PUT', `/api/backends/control?url=${encodeURIComponent(url)}`, change);

export async function getSettings() {
  const res = await fetch('/dashboard/settings.json', { cache: 'no-store' });
  if (!res.ok) throw new ApiError(res.status, 'dashboard settings unavailable');
  return res.json();
}
