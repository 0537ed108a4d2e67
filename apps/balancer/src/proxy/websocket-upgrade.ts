import type { IncomingMessage } from 'node:http';

/**
 * The only upgrades the proxy takes over: a GET asking for `Upgrade: websocket` (the forwarding
 * library proxies nothing else). Node asks this for every request carrying an `Upgrade` header; any
 * other one (h2c, say) is served as an ordinary request, whose hop-by-hop `Upgrade` and `Connection`
 * the proxy drops, as nginx does, instead of being closed unanswered.
 */
export function isWebSocketUpgrade(req: IncomingMessage): boolean {
  return req.method === 'GET' && req.headers.upgrade?.toLowerCase() === 'websocket';
}
