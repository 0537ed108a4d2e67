import { z } from 'zod';
import { type Algorithm, type AlgorithmDefinition, type AlgorithmDeps, DEFAULT_DEPS } from './algorithm';
import { hashAlgorithm } from './consistent-hash';
import { ipHashAlgorithm } from './ip-hash';
import { leastConnectionAlgorithm } from './least-connection';
import { leastTimeAlgorithm } from './least-time';
import { p2cAlgorithm } from './p2c';
import { ewmaAlgorithm } from './peak-ewma';
import { randomAlgorithm } from './random';
import { roundRobinAlgorithm } from './round-robin';
import { weightedRoundRobinAlgorithm } from './weighted-round-robin';

/**
 * Every algorithm Loadex knows, in the order help texts and lists show them. The CLI, the admin
 * API, the dashboard, the README table and the tests all read this table: adding an algorithm is
 * its file and one line here.
 */
export const ALGORITHMS = [
  roundRobinAlgorithm,
  weightedRoundRobinAlgorithm,
  leastConnectionAlgorithm,
  ipHashAlgorithm,
  randomAlgorithm,
  p2cAlgorithm,
  ewmaAlgorithm,
  leastTimeAlgorithm,
  hashAlgorithm,
] as const satisfies readonly AlgorithmDefinition[];

export type AlgorithmName = (typeof ALGORITHMS)[number]['name'];

/** Plain options, as the admin API and the state file carry them (every field filled in). */
export type AlgorithmOptions = Readonly<Record<string, unknown>>;

export const ALGORITHM_NAMES = ALGORITHMS.map((a) => a.name) as [AlgorithmName, ...AlgorithmName[]];

/** "roundrobin (rr), weightedroundrobin (wrr), ...": what every "expected one of" message lists. */
export const ALGORITHM_CHOICES = ALGORITHMS.map((a) =>
  a.aliases.length ? `${a.name} (${a.aliases.join(', ')})` : a.name,
).join(', ');

/** "ewma: decayMs; hash: key, balanceFactor": which algorithms take which options, for help texts. */
export const ALGORITHM_OPTIONS_SUMMARY = ALGORITHMS.filter((a) => Object.keys(a.options.shape).length > 0)
  .map((a) => `${a.name}: ${Object.keys(a.options.shape).join(', ')}`)
  .join('; ');

const BY_SPELLING: ReadonlyMap<string, AlgorithmDefinition> = new Map(
  ALGORITHMS.flatMap((a): [string, AlgorithmDefinition][] => [
    [a.name, a],
    ...a.aliases.map((alias): [string, AlgorithmDefinition] => [alias.toLowerCase(), a]),
  ]),
);

/** The registry entry for a name or alias, case-insensitively; undefined when unknown. */
export function findAlgorithm(text: string): AlgorithmDefinition | undefined {
  return BY_SPELLING.get(text.trim().toLowerCase());
}

/** Resolves a name or alias, case-insensitively; undefined when unknown. */
export function resolveAlgorithmName(text: string): AlgorithmName | undefined {
  return findAlgorithm(text)?.name as AlgorithmName | undefined;
}

/** Options an algorithm refused; the message names the option and what it accepts. */
export class AlgorithmOptionsError extends Error {}

/** One problem with the options, for callers that report issues their own way (zod, the CLI). */
export interface OptionIssue {
  /** The option's name, or empty for the options object itself. */
  option: string;
  message: string;
}

/** Validates options against the algorithm's schema and fills in defaults. */
export function parseAlgorithmOptions(
  definition: AlgorithmDefinition,
  options: unknown = {},
): { options: AlgorithmOptions } | { issues: OptionIssue[] } {
  const result = definition.options.safeParse(options ?? {});
  if (result.success) return { options: result.data };
  return {
    issues: result.error.issues.map((issue) =>
      issue.code === 'unrecognized_keys'
        ? { option: '', message: unknownOptions(definition, issue.keys) }
        : { option: issue.path.map(String).join('.'), message: issue.message },
    ),
  };
}

function unknownOptions(definition: AlgorithmDefinition, keys: readonly string[]): string {
  const known = Object.keys(definition.options.shape);
  return (
    `unknown option ${keys.map((k) => `"${k.slice(0, 40)}"`).join(', ')} for ${definition.name}: ` +
    (known.length ? `expected ${known.join(', ')}` : 'it takes no options')
  );
}

/** "key: expected ...; balanceFactor: ..." */
export function describeOptionIssues(issues: readonly OptionIssue[]): string {
  return issues.map((i) => (i.option ? `${i.option}: ${i.message}` : i.message)).join('; ');
}

/** An algorithm built from the registry, with the options it was built with (defaults filled in). */
export interface BuiltAlgorithm {
  readonly definition: AlgorithmDefinition;
  readonly options: AlgorithmOptions;
  readonly algorithm: Algorithm;
}

/**
 * Builds a fresh instance of a named algorithm (name or alias). Throws AlgorithmOptionsError for an
 * unknown name or options its schema refuses.
 */
export function buildAlgorithm(name: string, options?: unknown, deps: AlgorithmDeps = DEFAULT_DEPS): BuiltAlgorithm {
  const definition = findAlgorithm(name);
  if (!definition) {
    throw new AlgorithmOptionsError(`unknown algorithm "${name.slice(0, 40)}": expected one of ${ALGORITHM_CHOICES}`);
  }
  const parsed = parseAlgorithmOptions(definition, options);
  if ('issues' in parsed) throw new AlgorithmOptionsError(describeOptionIssues(parsed.issues));
  return { definition, options: parsed.options, algorithm: definition.create(parsed.options as never, deps) };
}

/** A fresh instance of a named algorithm; see `buildAlgorithm`. */
export function createAlgorithm(name: string, options?: unknown, deps?: AlgorithmDeps): Algorithm {
  return buildAlgorithm(name, options, deps).algorithm;
}

/** One option as GET /api/algorithms describes it. */
export interface AlgorithmOptionInfo {
  name: string;
  /** The JSON type: "string", "number", "integer" or "boolean". */
  type: string;
  default: unknown;
  description: string;
}

/** One registry entry as GET /api/algorithms gives it. */
export interface AlgorithmInfo {
  name: string;
  title: string;
  aliases: string[];
  description: string;
  options: AlgorithmOptionInfo[];
}

interface JsonSchemaProperty {
  type?: string;
  default?: unknown;
  description?: string;
}

/** The registry as JSON (GET /api/algorithms), derived from each options schema. */
export function describeAlgorithms(): AlgorithmInfo[] {
  return ALGORITHMS.map((definition) => {
    const schema = z.toJSONSchema(definition.options, { io: 'input' }) as {
      properties?: Record<string, JsonSchemaProperty>;
    };
    return {
      name: definition.name,
      title: definition.title,
      aliases: [...definition.aliases],
      description: definition.description,
      options: Object.entries(schema.properties ?? {}).map(([name, property]) => ({
        name,
        type: property.type ?? 'string',
        default: property.default,
        description: property.description ?? '',
      })),
    };
  });
}

/**
 * Turns `key=value` texts (the CLI's `--option`, a flag's value) into typed options by the
 * schema's JSON types: numbers become numbers, `true`/`false` booleans; for an unknown algorithm
 * every value stays a string. Validation is left to `parseAlgorithmOptions`, so a bad value gets
 * the schema's own message. Throws AlgorithmOptionsError for a text without `=`.
 */
export function optionsFromText(
  definition: AlgorithmDefinition | undefined,
  pairs: readonly string[],
): Record<string, unknown> {
  const info = definition && describeAlgorithms().find((a) => a.name === definition.name);
  const types = new Map(info?.options.map((o) => [o.name, o.type]));
  const options: Record<string, unknown> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new AlgorithmOptionsError(`"${pair.slice(0, 60)}": expected KEY=VALUE`);
    const key = pair.slice(0, eq);
    const text = pair.slice(eq + 1);
    const type = types.get(key);
    if ((type === 'number' || type === 'integer') && text.trim() !== '' && Number.isFinite(Number(text))) {
      options[key] = Number(text);
    } else if (type === 'boolean' && (text === 'true' || text === 'false')) {
      options[key] = text === 'true';
    } else {
      options[key] = text;
    }
  }
  return options;
}

/** The README's algorithm table (`npm run docs` writes it between markers). */
export function algorithmsMarkdownTable(): string {
  const rows = ALGORITHMS.map((a) => {
    const aliases = a.aliases.map((n) => `\`${n}\``).join(', ');
    const names = aliases ? `\`${a.name}\` (${aliases})` : `\`${a.name}\``;
    const options = Object.keys(a.options.shape);
    const suffix = options.length ? ` Options: ${options.map((o) => `\`${o}\``).join(', ')}.` : '';
    return `| ${names} | ${a.description}${suffix} |`;
  });
  return ['| algorithm | how it chooses |', '| --- | --- |', ...rows].join('\n') + '\n';
}
