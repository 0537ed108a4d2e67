import type { LoadResult } from './chaos-load';
import { type DemoBackend, startBackend } from './processes';
import type { TcpRelay } from './tcp-relay';

/**
 * The faults of the chaos tests and the soak, each done to one backend ("the victim") and undone
 * again: `kill` (SIGKILL, then a new process on the same port), `stop` (SIGSTOP, then SIGCONT: a
 * backend that hangs, found by the health timeout), `flap` (its /health alternates), `blackhole`
 * (the TCP relay in front of it forwards nothing: a partition), `slow` (every answer delayed, within
 * the upstream timeout) and `500` (it answers every request 500 while /health stays 200).
 */
export const FAULT_NAMES = ['kill', 'stop', 'flap', 'blackhole', 'slow', '500'] as const;
export type FaultName = (typeof FAULT_NAMES)[number];

/** The slow backend's delay: well inside the upstream timeout the chaos runs use (2 s). */
export const SLOW_MS = 1200;
/** How often the flapping backend's /health changes its answer. */
export const FLAP_EVERY_MS = 700;

export interface Victim {
  /** The demo backend now behind the victim's URL (a kill and its undo replace it). */
  backend: DemoBackend;
  /** The relay the balancer reaches the victim through (needed for `blackhole`). */
  relay?: TcpRelay;
}

export interface Fault {
  name: FaultName;
  inject(): Promise<void>;
  /** Undoes the fault; resolves with the backend now serving the victim's URL. */
  undo(): Promise<DemoBackend>;
}

export function makeFault(name: FaultName, victim: Victim): Fault {
  let flapTimer: NodeJS.Timeout | undefined;
  switch (name) {
    case 'kill':
      return {
        name,
        inject: async () => {
          await victim.backend.stop('SIGKILL');
        },
        undo: async () => (victim.backend = await startBackend(victim.backend.port)),
      };
    case 'stop':
      return {
        name,
        inject: async () => {
          victim.backend.child.kill('SIGSTOP');
        },
        undo: async () => {
          victim.backend.child.kill('SIGCONT');
          return victim.backend;
        },
      };
    case 'flap':
      return {
        name,
        inject: async () => {
          let healthy = true;
          flapTimer = setInterval(() => {
            healthy = !healthy;
            victim.backend.control({ healthy }).catch(() => undefined);
          }, FLAP_EVERY_MS);
        },
        undo: async () => {
          clearInterval(flapTimer);
          await victim.backend.control({ healthy: true });
          return victim.backend;
        },
      };
    case 'blackhole':
      return {
        name,
        inject: async () => {
          if (!victim.relay) throw new Error('the blackhole fault needs a relay in front of the victim');
          victim.relay.blackHole();
        },
        undo: async () => {
          victim.relay?.restore();
          return victim.backend;
        },
      };
    case 'slow':
      return {
        name,
        inject: () => victim.backend.control({ latencyMs: SLOW_MS }),
        undo: async () => {
          await victim.backend.control({ latencyMs: 0 });
          return victim.backend;
        },
      };
    case '500':
      return {
        name,
        inject: () => victim.backend.control({ failRate: 1 }),
        undo: async () => {
          await victim.backend.control({ failRate: 0 });
          return victim.backend;
        },
      };
  }
}

/**
 * Whether a finished request keeps the invariants under `fault` (null: no fault active). A GET must
 * succeed while a healthy backend remains; only a backend that hangs (`stop`, `blackhole`) may make
 * the requests already sent to it time out upstream (504, never retried: they may have arrived). A
 * POST may fail with 502 when its backend died holding it, 504 when it hung, or carry the 500 the
 * backend gave. `500` GETs are judged by their own bound (test/chaos/backend-turns-500.spec.ts).
 * No request may end without a status (the client's own timeout, a reset from the balancer).
 */
export function keepsInvariants(result: LoadResult, fault: FaultName | null): boolean {
  if (result.status === 200) return true;
  if (result.status === 0) return false;
  const hangs = fault === 'stop' || fault === 'blackhole';
  if (result.method === 'GET') return hangs && result.status === 504;
  return result.status === 502 || (hangs && result.status === 504) || (fault === '500' && result.status === 500);
}

/** When a fault was active, in ms since the load started (`endMs` includes the grace after its undo). */
export interface FaultWindow {
  name: FaultName;
  startMs: number;
  endMs: number;
}

/** The fault a request overlapped, if any (the latest one when it overlapped two). */
export function faultDuring(result: LoadResult, windows: readonly FaultWindow[]): FaultName | null {
  const end = result.startedMs + result.durationMs;
  for (let i = windows.length - 1; i >= 0; i--) {
    const w = windows[i];
    if (result.startedMs <= w.endMs && end >= w.startMs) return w.name;
  }
  return null;
}
