import { z } from 'zod';
import { ALGORITHM_NAMES } from '@loadex/algorithms';
import { parseBackendUrl } from '@loadex/pool';
import type { AdminState } from '@loadex/api';
import type { AlgorithmChoice } from './control-plane';

/** One backend as the store keeps it; `seq` orders the pool the same way on every replica. */
export interface StoredBackend {
  url: string;
  weight: number;
  state: AdminState;
  seq: number;
}

/** The whole shared control state at one version, read atomically from the store. */
export interface ControlSnapshot {
  /** 0: the store is empty (never seeded, or Redis lost its data). */
  version: number;
  /** Written when the state was seeded: a new epoch means the store started over. */
  epoch: string;
  algorithm: AlgorithmChoice | null;
  /** Ordered by `seq`. */
  backends: StoredBackend[];
}

const storedBackendValue = z.object({
  weight: z.int().min(1).max(1000),
  state: z.enum(['active', 'draining']),
  seq: z.int().min(0),
});

const algorithmValue = z.object({
  name: z.enum(ALGORITHM_NAMES),
  options: z.record(z.string(), z.unknown()).default({}),
});

/** What the control script returns: `[code, version, algorithm JSON, [url, entry JSON, ...], epoch]`. */
export type ScriptReply = [string, string, string, string[], string];

/**
 * A script's reply → the snapshot it read. Entries that do not parse (written by something else)
 * are skipped rather than trusted; the store is shared, not ours alone.
 */
export function toSnapshot(reply: ScriptReply): ControlSnapshot {
  const [, version, algorithmJson, flat, epoch] = reply;
  const backends: StoredBackend[] = [];
  for (let i = 0; i + 1 < flat.length; i += 2) {
    const entry = storedBackendValue.safeParse(parseJson(flat[i + 1]));
    if (entry.success && isOrigin(flat[i])) backends.push({ url: flat[i], ...entry.data });
  }
  backends.sort((a, b) => a.seq - b.seq);
  const algorithm = algorithmValue.safeParse(parseJson(algorithmJson));
  return {
    version: Number(version) || 0,
    epoch,
    algorithm: algorithm.success ? algorithm.data : null,
    backends,
  };
}

function isOrigin(text: string): boolean {
  try {
    return parseBackendUrl(text).origin === text;
  } catch {
    return false;
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
