import { z } from 'zod';
import {
  ALGORITHM_OPTIONS_SUMMARY,
  ALGORITHM_CHOICES,
  findAlgorithm,
  parseAlgorithmOptions,
  resolveAlgorithmName,
} from '@loadex/algorithms';
import { backendUrlField } from '@loadex/pool';

/**
 * Zod schemas of every admin request input: one definition validates (StandardSchemaValidationPipe)
 * and documents (OpenAPI) each body and query. URLs go through `parseBackendUrl`, the same rules as
 * the flags and the state file. Messages name what is wrong; the pipe prefixes the field.
 */
export const WEIGHT_RULE = 'expected an integer from 1 to 1000';
export const MIN_WEIGHT = 1;
export const MAX_WEIGHT = 1000;

/** A weight in a JSON body: a number. */
export const weightField = z
  .number({ error: WEIGHT_RULE })
  .int({ error: WEIGHT_RULE })
  .min(MIN_WEIGHT, { error: WEIGHT_RULE })
  .max(MAX_WEIGHT, { error: WEIGHT_RULE })
  .meta({ description: 'relative share for weighted round robin', example: 1 });

/** A weight in a query string: digits only. */
export const weightQueryField = z
  .string({ error: WEIGHT_RULE })
  .transform((text, ctx) => {
    const weight = /^\d{1,4}$/.test(text) ? Number(text) : NaN;
    if (!(weight >= MIN_WEIGHT && weight <= MAX_WEIGHT)) {
      ctx.addIssue({ code: 'custom', message: `${WEIGHT_RULE}, got "${text.slice(0, 20)}"` });
      return z.NEVER;
    }
    return weight;
  })
  .meta({ description: 'integer from 1 to 1000', example: '1' });

export const adminStateField = z
  .enum(['active', 'draining'], { error: 'expected "active" or "draining"' })
  .meta({ description: '`draining`: no new requests, in-flight ones finish' });

/** A known algorithm name or alias, case-insensitive; becomes the canonical name. */
export const algorithmField = z
  .string({ error: `expected one of ${ALGORITHM_CHOICES}` })
  .transform((text, ctx) => {
    const name = resolveAlgorithmName(text);
    if (!name) {
      ctx.addIssue({
        code: 'custom',
        message: `unknown algorithm "${text.slice(0, 40)}": expected one of ${ALGORITHM_CHOICES}`,
      });
      return z.NEVER;
    }
    return name;
  })
  .meta({ description: `one of ${ALGORITHM_CHOICES}`, example: 'roundrobin' });

/** The chosen algorithm's options; validated against its registry schema once the name is known. */
export const algorithmOptionsField = z
  .record(z.string(), z.unknown(), { error: 'expected a JSON object of option names and values' })
  .meta({
    description: `the algorithm's options (GET /api/algorithms lists them with their defaults; omitted ones take the configured value or the default): ${ALGORITHM_OPTIONS_SUMMARY}`,
    example: { key: 'header:x-user', balanceFactor: 1.25 },
  });

/** A JSON body object with exactly these fields; a stray field is named in the error. */
function bodyObject<Shape extends z.core.$ZodLooseShape>(shape: Shape, id: string) {
  return z
    .strictObject(shape, {
      error: (issue) =>
        issue.code === 'unrecognized_keys'
          ? `unknown field ${issue.keys.map((k) => `"${k}"`).join(', ')}`
          : 'body: expected a JSON object (Content-Type: application/json)',
    })
    .meta({ id });
}

/** POST /api/backends */
export const addBackendBody = bodyObject({ url: backendUrlField, weight: weightField.optional() }, 'AddBackendRequest');

/** PATCH /api/backends */
export const updateBackendBody = bodyObject(
  { url: backendUrlField, weight: weightField.optional(), state: adminStateField.optional() },
  'UpdateBackendRequest',
).refine((body) => body.weight !== undefined || body.state !== undefined, {
  message: 'weight or state: give at least one of them to change',
});

/**
 * PUT /api/algorithm: the name, then the options checked by that algorithm's schema. The options
 * pass on as given: the ones left out take the balancer's configured value or the default.
 */
export const setAlgorithmBody = bodyObject(
  { algorithm: algorithmField, options: algorithmOptionsField.optional() },
  'SetAlgorithmRequest',
).transform((body, ctx) => {
  const definition = findAlgorithm(body.algorithm);
  const parsed = definition && parseAlgorithmOptions(definition, body.options ?? {});
  if (!parsed) return z.NEVER;
  if ('issues' in parsed) {
    for (const issue of parsed.issues) {
      ctx.addIssue({
        code: 'custom',
        path: issue.option ? ['options', issue.option] : ['options'],
        message: issue.message,
      });
    }
    return z.NEVER;
  }
  return { algorithm: body.algorithm, options: body.options };
});

/** POST /api/add?url=&weight= (the original's route) */
export const addBackendQuery = z.object({ url: backendUrlField, weight: weightQueryField.optional() });

/** DELETE /api/backends?url= */
export const removeBackendQuery = z.object({ url: backendUrlField });

export type AddBackendInput = z.output<typeof addBackendBody>;
export type UpdateBackendInput = z.output<typeof updateBackendBody>;
export type SetAlgorithmInput = z.output<typeof setAlgorithmBody>;
export type AddBackendQueryInput = z.output<typeof addBackendQuery>;
export type RemoveBackendQueryInput = z.output<typeof removeBackendQuery>;
