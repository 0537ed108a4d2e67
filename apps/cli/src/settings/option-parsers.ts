import { InvalidArgumentError } from 'commander';
import ms from 'ms';
import { z } from 'zod';

/**
 * Validation of option values, with zod like the rest of Loadex. Each parser is used from an
 * `@Option` method; a bad value becomes commander's `InvalidArgumentError`, which commander reports
 * as `option '-c, --count <n>' argument 'x' is invalid. <reason>` and the CLI exits with code 2.
 */
function parseWith<T>(schema: z.ZodType<T>, value: string): T {
  const result = schema.safeParse(value);
  if (!result.success) throw new InvalidArgumentError(result.error.issues[0]?.message ?? 'invalid value');
  return result.data;
}

const httpUrl = z
  .string()
  .trim()
  .pipe(z.url({ protocol: /^https?$/, error: 'expected an http:// or https:// URL like http://localhost:8080' }));

const positiveInteger = z.coerce
  .number({ error: 'expected a positive integer' })
  .int({ error: 'expected a positive integer' })
  .min(1, { error: 'expected a positive integer' });

const weight = z.coerce
  .number({ error: 'expected an integer from 1 to 1000' })
  .int({ error: 'expected an integer from 1 to 1000' })
  .min(1, { error: 'expected an integer from 1 to 1000' })
  .max(1000, { error: 'expected an integer from 1 to 1000' });

const DURATION_FORMAT = /^\d+(\.\d+)?\s*(ms|s|m|h)$/i;
const duration = z
  .string()
  .trim()
  .regex(DURATION_FORMAT, { error: 'expected a duration like 500ms, 30s, 2m or 1h' })
  .transform((value) => ms(value as ms.StringValue))
  .pipe(z.number().positive({ error: 'expected a duration longer than 0' }));

const urlPath = z.string().startsWith('/', { error: 'expected a path starting with /, like /api/users?id=1' });

const httpMethod = z
  .string()
  .regex(/^[A-Za-z]+$/, { error: 'expected an HTTP method like GET or POST' })
  .transform((m) => m.toUpperCase());

/** `--url`: the balancer's base URL, without a trailing slash. */
export const parseBaseUrl = (value: string): string => parseWith(httpUrl, value).replace(/\/+$/, '');
/** `-t, --target`: a backend URL; the balancer validates it fully, this only catches typos early. */
export const parseTargetUrl = (value: string): string => parseWith(httpUrl, value).replace(/\/+$/, '');
export const parsePositiveInteger = (value: string): number => parseWith(positiveInteger, value);
export const parseWeight = (value: string): number => parseWith(weight, value);
/** `--duration 30s`, `--timeout 5s`: milliseconds. */
export const parseDuration = (value: string): number => parseWith(duration, value);
export const parseUrlPath = (value: string): string => parseWith(urlPath, value);
export const parseHttpMethod = (value: string): string => parseWith(httpMethod, value);

const nameList = z
  .string()
  .transform((value) => value.split(',').map((name) => name.trim()))
  .refine((names) => names.every((name) => /^[A-Za-z0-9_-]+$/.test(name)), {
    error: 'expected names separated by commas, like roundrobin,leastconnection',
  });

/** `--algorithms a,b,c`: the names, trimmed (the balancer's registry checks them). */
export const parseNameList = (value: string): string[] => parseWith(nameList, value);

/** A value that must be one of `choices` (case-insensitive): `expected one of a, b, c`. */
export function parseOneOf<T extends string>(choices: readonly [T, ...T[]], value: string): T {
  return parseWith(
    z
      .string()
      .trim()
      .toLowerCase()
      .pipe(z.enum(choices, { error: `expected one of ${choices.join(', ')}` })),
    value,
  );
}
