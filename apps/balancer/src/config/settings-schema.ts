import { z } from 'zod';
import { type Setting, SETTING_DEFINITIONS } from './settings-registry';

/**
 * The validated settings, derived from the registry: a setting with a default gets it (parsed like
 * any user value), one without is `null` when unset. Unknown keys are refused.
 */
export const settingsSchema = z
  .object(
    Object.fromEntries(
      SETTING_DEFINITIONS.map((setting) => [
        setting.key,
        'default' in setting
          ? setting.schema.prefault(setting.default)
          : setting.schema.optional().transform((value) => value ?? null),
      ]),
    ) as unknown as SettingsShape,
  )
  .strict();

type OutputOf<S extends Setting> = S extends { default: unknown }
  ? z.output<S['schema']>
  : NonNullable<z.output<S['schema']>> | null;

type SettingsShape = { [S in Setting as S['key']]: z.ZodType<OutputOf<S>, unknown> };

/** Raw settings as they arrive from flags, environment or a config file, keyed like `BalancerConfig`. */
export type Settings = { [S in Setting as S['key']]?: unknown };

/** The balancer's settings after flags, environment and config file are merged and validated. */
export type ValidatedSettings = z.output<typeof settingsSchema>;
