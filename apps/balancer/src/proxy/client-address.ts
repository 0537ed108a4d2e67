import type { IncomingMessage } from 'node:http';

/** The client's address: the socket peer, or the first X-Forwarded-For entry when trusted. */
export function clientAddress(req: IncomingMessage, trustProxy: boolean): string {
  if (trustProxy) {
    const header = req.headers['x-forwarded-for'];
    const xff = Array.isArray(header) ? header[0] : header;
    if (xff) {
      const comma = xff.indexOf(',');
      const first = (comma === -1 ? xff : xff.slice(0, comma)).trim();
      if (first) return first;
    }
  }
  return req.socket.remoteAddress ?? '';
}
