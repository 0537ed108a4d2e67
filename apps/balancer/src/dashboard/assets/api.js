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
 * fetch() with the stored admin token. On a 401 it asks for the token (up to three times) and
 * tries again. Resolves with the last answer, the 401 included when the user cancels; rejects when
 * the balancer does not answer (or `init.signal` aborts).
 */
export async function fetchWithToken(path, init = {}) {
  for (let attempt = 0; ; attempt++) {
    const token = storedToken();
    const headers = { ...init.headers };
    if (token) headers.authorization = `Bearer ${token}`;
    const res = await fetch(path, { cache: 'no-store', ...init, headers });
    if (res.status !== 401 || attempt >= 3) return res;
    if (token) forgetToken();
    const entered = await askForToken(
      token ? 'That token was not accepted. Try again:' : 'This balancer needs its admin token (--admin-token).',
    );
    if (!entered) return res;
    await res.body?.cancel();
  }
}

/**
 * Calls the admin API: `method`, `path` (e.g. "/api/backends"), an optional JSON body. Resolves
 * with the parsed answer; rejects with an ApiError (status and the API's own message).
 */
export async function api(method, path, body) {
  const headers = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  let res;
  try {
    res = await fetchWithToken(path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new ApiError(0, 'the balancer did not answer');
  }
  const answer = await readBody(res);
  if (!res.ok) throw new ApiError(res.status, messageOf(answer, res));
  return answer;
}

export const getBackends = () => api('GET', '/api/backends');
export const getStats = () => api('GET', '/api/stats');
export const getAlgorithm = () => api('GET', '/api/algorithm');
export const getAlgorithms = () => api('GET', '/api/algorithms');
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
