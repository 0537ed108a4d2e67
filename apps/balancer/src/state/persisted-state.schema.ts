import { z } from 'zod';
import {
  ALGORITHM_NAMES,
  type AlgorithmName,
  describeOptionIssues,
  findAlgorithm,
  parseAlgorithmOptions,
} from '@loadex/algorithms';
import type { AdminState } from '@loadex/api';
import { backendUrlField, MAX_BACKENDS } from '@loadex/pool';

export const STATE_FILE_VERSION = 1;

/**
 * The state file: the runtime pool and algorithm as they were last changed through the admin API.
 * `removed` lists configured backends (flags/config) that were removed at runtime, so a restart
 * with the same flags does not bring them back. Checked with the same URL rules as everywhere.
 */
const url = backendUrlField;

export const persistedStateSchema = z
  .object({
    version: z.literal(STATE_FILE_VERSION),
    savedAt: z.string().optional(),
    algorithm: z.enum(ALGORITHM_NAMES),
    /** The algorithm's options as they were in use (absent in files written before they existed). */
    algorithmOptions: z.record(z.string(), z.unknown()).optional(),
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
  })
  .superRefine((state, ctx) => {
    const definition = findAlgorithm(state.algorithm);
    const parsed = definition && parseAlgorithmOptions(definition, state.algorithmOptions ?? {});
    if (parsed && 'issues' in parsed) {
      ctx.addIssue({ code: 'custom', path: ['algorithmOptions'], message: describeOptionIssues(parsed.issues) });
    }
  });

export type PersistedState = z.output<typeof persistedStateSchema>;

/** What is written: plain JSON values. */
export interface PersistedStateFile {
  version: typeof STATE_FILE_VERSION;
  savedAt: string;
  algorithm: AlgorithmName;
  algorithmOptions: Record<string, unknown>;
  backends: Array<{ url: string; weight: number; state: AdminState }>;
  removed: string[];
}
