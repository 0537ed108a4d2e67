import { z } from 'zod';
import { backendUrlField } from '@loadex/pool';

/**
 * What the lab may change on a demo backend: the same switches as the backend's own `PUT /control`
 * (apps/backend/src/backend-control.ts), checked here too so nothing unvalidated is relayed.
 */
export const labControlChangeSchema = z
  .strictObject(
    {
      healthy: z.boolean({ error: 'expected true or false' }).optional(),
      latencyMs: z
        .number({ error: 'expected an integer from 0 to 600000' })
        .int({ error: 'expected an integer from 0 to 600000' })
        .min(0, { error: 'expected an integer from 0 to 600000' })
        .max(600_000, { error: 'expected an integer from 0 to 600000' })
        .optional(),
      failRate: z
        .number({ error: 'expected a number from 0 to 1' })
        .min(0, { error: 'expected a number from 0 to 1' })
        .max(1, { error: 'expected a number from 0 to 1' })
        .optional(),
    },
    {
      error: (issue) =>
        issue.code === 'unrecognized_keys'
          ? `unknown field ${issue.keys.map((k) => `"${k}"`).join(', ')}`
          : 'body: expected a JSON object (Content-Type: application/json)',
    },
  )
  .refine((change) => Object.keys(change).length > 0, {
    message: 'body: give at least one of healthy, latencyMs, failRate',
  });

export type LabControlChange = z.output<typeof labControlChangeSchema>;

/** `?url=`: a registered backend's URL (same rules as every other backend URL). */
export const labBackendQuery = z.object({ url: backendUrlField });

export type LabBackendQuery = z.output<typeof labBackendQuery>;

/** What a demo backend's `/control` answers with (extra fields are dropped). */
export const labControlViewSchema = z.object({
  healthy: z.boolean(),
  latencyMs: z.number(),
  failRate: z.number(),
  served: z.number(),
});

/** GET|PUT /api/backends/control → the backend's switches and its own served-request counter. */
export type LabControlView = z.output<typeof labControlViewSchema> & { url: string };
