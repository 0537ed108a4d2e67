import { z } from 'zod';
import { ALGORITHM_NAMES, type AlgorithmName } from '@loadex/algorithms';
import type { AdminState } from '@loadex/api';
import { backendUrlField, MAX_BACKENDS } from '@loadex/pool';

export const STATE_FILE_VERSION = 1;

/**
 * The state file: the runtime pool and algorithm as they were last changed through the admin API.
 * `removed` lists configured backends (flags/config) that were removed at runtime, so a restart
 * with the same flags does not bring them back. Checked with the same URL rules as everywhere.
 */
const url = backendUrlField;

export const persistedStateSchema = z.object({
  version: z.literal(STATE_FILE_VERSION),
  savedAt: z.string().optional(),
  algorithm: z.enum(ALGORITHM_NAMES),
  backends: z
    .array(
      z.object({
        url,
        weight: z.int().min(1).max(1000),
        state: z.enum(['active', 'draining']),
      }),
    )
    .max(MAX_BACKENDS),
  removed: z.array(url).default([]),
});

export type PersistedState = z.output<typeof persistedStateSchema>;

/** What is written: plain JSON values. */
export interface PersistedStateFile {
  version: typeof STATE_FILE_VERSION;
  savedAt: string;
  algorithm: AlgorithmName;
  backends: Array<{ url: string; weight: number; state: AdminState }>;
  removed: string[];
}
