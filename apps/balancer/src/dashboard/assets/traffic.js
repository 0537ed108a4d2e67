/* global location */
/* Send Traffic: real HTTP requests from this browser through the balancer's proxy port. */

/** At most this many requests in flight at once (a browser allows six per host; the live stream takes one). */
const CONCURRENCY = 4;
export const MAX_REQUESTS = 1000;

/**
 * Where the requests go. When the page comes from the proxy port (the default), `/` on the same
 * origin. With --admin-port the page comes from the admin listener, so the requests go to the
 * proxy port on the same host, as `no-cors` requests: they reach the balancer and are counted like
 * any client's, but the page may not read the answers (opaque responses).
 */
export function trafficTarget(settings) {
  if (settings.proxyPort === null) return { url: '/', mode: 'same-origin', readable: true };
  if (!settings.proxyPort) return null;
  return { url: `${location.protocol}//${location.hostname}:${settings.proxyPort}/`, mode: 'no-cors', readable: false };
}

/** Sends `count` GET requests; resolves with { sent, failed, statuses: Map(status → n) }. */
export async function sendTraffic(target, count) {
  const statuses = new Map();
  let next = 0;
  let sent = 0;
  let failed = 0;
  const worker = async () => {
    while (next < count) {
      next++;
      try {
        const res = await fetch(target.url, { mode: target.mode, cache: 'no-store', credentials: 'omit' });
        await res.arrayBuffer();
        sent++;
        const key = target.readable ? res.status : 'sent';
        statuses.set(key, (statuses.get(key) ?? 0) + 1);
      } catch {
        failed++;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, count) }, worker));
  return { sent, failed, statuses };
}
