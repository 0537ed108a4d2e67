import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/** Set by a worker's admin relay: this process's secret, and the client's real address. */
export const RELAY_SECRET_HEADER = 'x-loadex-relay-secret';
export const RELAY_CLIENT_HEADER = 'x-loadex-relay-client';

const RELAYED_CLIENT = Symbol('loadex.relayedClient');

type RelayedRequest = IncomingMessage & { [RELAYED_CLIENT]?: string };

/**
 * The main thread's private admin listener: a request is taken only with the relay's secret; the
 * client address it carries is then the one the admin checks see. Both headers are removed.
 */
export function acceptRelayed(req: IncomingMessage, secret: Buffer): boolean {
  const given = req.headers[RELAY_SECRET_HEADER];
  const client = req.headers[RELAY_CLIENT_HEADER];
  delete req.headers[RELAY_SECRET_HEADER];
  delete req.headers[RELAY_CLIENT_HEADER];
  if (typeof given !== 'string' || typeof client !== 'string') return false;
  const bytes = Buffer.from(given);
  if (bytes.length !== secret.length || !timingSafeEqual(bytes, secret)) return false;
  (req as RelayedRequest)[RELAYED_CLIENT] = client;
  return true;
}

/** The admin client's address: the relayed one behind a worker, else the socket's peer. */
export function adminClientAddress(req: IncomingMessage): string | undefined {
  return (req as RelayedRequest)[RELAYED_CLIENT] ?? req.socket.remoteAddress;
}
