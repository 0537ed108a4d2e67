import type { ServerResponse } from 'node:http';
import type { ProxyAttempt } from '../proxy-attempt';
import type { UpstreamDeadlines } from './upstream-deadlines';

/**
 * One chunk of the backend's body to the client, for both engines: counted for the access log and
 * the body deadline moved on. False when the client's buffer is full: the engine pauses the
 * backend until `drain`, and the attempt is off the deadline lists meanwhile — the client reads
 * slowly, so the backend is waiting for us, not the other way round.
 */
export function writeBodyChunk(
  attempt: ProxyAttempt,
  res: ServerResponse,
  chunk: Buffer,
  deadlines: UpstreamDeadlines,
): boolean {
  attempt.responseBytes += chunk.length;
  deadlines.bodyProgressed(attempt);
  if (res.write(chunk) !== false || res.destroyed) return true;
  deadlines.disarm(attempt);
  return false;
}
