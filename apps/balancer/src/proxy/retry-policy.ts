import type { IncomingMessage } from 'node:http';
import type { UpstreamErrorKind } from '../traffic/traffic-sink';

/** RFC 9110 idempotent methods: sending them twice has the effect of sending them once. */
const IDEMPOTENT = new Set(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE', 'TRACE']);

/**
 * May this request be sent to another backend after `kind` failed it?
 * - Never after a timeout (the backend may still be working on it) or a response has started.
 * - Only if the body can be sent again: nothing of it has been read from the client yet.
 *   A body already streamed to the failed backend is gone; it is never replayed.
 * - Idempotent methods: yes. Others (POST, PATCH): only when the connection was refused, so
 *   the backend never saw the request — a POST is never delivered twice.
 */
export function isSafeToRetry(req: IncomingMessage, kind: UpstreamErrorKind): boolean {
  if (kind === 'timeout' || kind === 'other') return false;
  if (req.readableDidRead) return false;
  return IDEMPOTENT.has(req.method ?? '') || kind === 'refused';
}
