import { isIP } from 'node:net';
import ms from 'ms';
import { z } from 'zod';
import { ALGORITHM_CHOICES, resolveAlgorithmName } from '@loadex/algorithms';
import { BackendUrlError, parseBackendUrl } from '@loadex/pool';
import type { BackendSpec, BalancerConfig } from './balancer-config';

/**
 * Raw settings, as they arrive from flags, environment or a config file (strings or typed values),
 * validated and converted in one schema so every source gets the same checks and messages.
 */
const duration = (flag: string) =>
  z.union([z.string(), z.number()]).transform((value, ctx) => {
    const millis = typeof value === 'number' ? value : ms(value.trim() as ms.StringValue);
    if (typeof millis !== 'number' || !Number.isFinite(millis) || millis <= 0) {
      ctx.addIssue({
        code: 'custom',
        message: `invalid --${flag} "${value}": expected a duration like 500ms, 5s or 1m`,
      });
      return z.NEVER;
    }
    return Math.round(millis);
  });

const integer = (flag: string, min: number, max: number) =>
  z.union([z.string(), z.number()]).transform((value, ctx) => {
    const n = typeof value === 'number' ? value : /^\s*-?\d+\s*$/.test(value) ? Number(value) : NaN;
    if (!Number.isInteger(n) || n < min || n > max) {
      ctx.addIssue({
        code: 'custom',
        message: `invalid --${flag} "${value}": expected an integer from ${min} to ${max}`,
      });
      return z.NEVER;
    }
    return n;
  });

const boolean = (flag: string) =>
  z.union([z.boolean(), z.string()]).transform((value, ctx) => {
    if (typeof value === 'boolean') return value;
    const v = value.trim().toLowerCase();
    if (['1', 'true', 'yes', 'on', ''].includes(v)) return true;
    if (['0', 'false', 'no', 'off'].includes(v)) return false;
    ctx.addIssue({ code: 'custom', message: `invalid --${flag} "${value}": expected true or false` });
    return z.NEVER;
  });

function parseBackendEntry(entry: unknown): BackendSpec {
  let text: string;
  let weightText: string | number | undefined;
  if (typeof entry === 'string') {
    const eq = entry.lastIndexOf('=');
    text = (eq === -1 ? entry : entry.slice(0, eq)).trim();
    weightText = eq === -1 ? undefined : entry.slice(eq + 1).trim();
  } else if (entry && typeof entry === 'object' && typeof (entry as { url?: unknown }).url === 'string') {
    text = (entry as { url: string }).url;
    weightText = (entry as { weight?: string | number }).weight;
  } else {
    throw new BackendUrlError(`invalid backend ${JSON.stringify(entry)}: expected "URL" or "URL=WEIGHT"`);
  }
  const url = parseBackendUrl(text);
  let weight = 1;
  if (weightText !== undefined) {
    weight = typeof weightText === 'number' ? weightText : /^\d+$/.test(weightText) ? Number(weightText) : NaN;
    if (!Number.isInteger(weight) || weight < 1 || weight > 1000) {
      throw new BackendUrlError(`invalid weight "${weightText}" for ${url.origin}: expected an integer from 1 to 1000`);
    }
  }
  return { url, weight };
}

const backends = z.union([z.string(), z.array(z.unknown())]).transform((value, ctx) => {
  const entries =
    typeof value === 'string'
      ? value
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean)
      : value;
  if (entries.length === 0) {
    ctx.addIssue({ code: 'custom', message: 'no backends: give --backends http://host:port[=weight],...' });
    return z.NEVER;
  }
  const specs: BackendSpec[] = [];
  const seen = new Set<string>();
  for (const entry of entries) {
    try {
      const spec = parseBackendEntry(entry);
      if (seen.has(spec.url.origin)) continue;
      seen.add(spec.url.origin);
      specs.push(spec);
    } catch (err) {
      ctx.addIssue({ code: 'custom', message: `invalid --backends: ${(err as Error).message}` });
      return z.NEVER;
    }
  }
  return specs;
});

const algorithm = z.string().transform((value, ctx) => {
  const name = resolveAlgorithmName(value);
  if (!name) {
    ctx.addIssue({ code: 'custom', message: `unknown --algo "${value}": expected one of ${ALGORITHM_CHOICES}` });
    return z.NEVER;
  }
  return name;
});

const cidrList = z.union([z.string(), z.array(z.string())]).transform((value, ctx) => {
  const list =
    typeof value === 'string'
      ? value
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean)
      : value;
  for (const cidr of list) {
    const [address, prefix, extra] = cidr.split('/');
    const family = isIP(address ?? '');
    const max = family === 6 ? 128 : 32;
    const bits = prefix === undefined ? max : /^\d+$/.test(prefix) ? Number(prefix) : NaN;
    if (!family || extra !== undefined || !(bits >= 0 && bits <= max)) {
      ctx.addIssue({ code: 'custom', message: `invalid --admin-allow "${cidr}": expected CIDRs like 127.0.0.0/8,::1` });
      return z.NEVER;
    }
  }
  return list;
});

const healthPath = z.string().refine((p) => p.startsWith('/'), {
  message: 'invalid --health-path: expected a path starting with /',
});

const logLevel = z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
  error: 'invalid --log-level: expected fatal, error, warn, info, debug, trace or silent',
});

// NEW (issue 13): the forwarding engine.
const engine = z.enum(['undici', 'hpm'], {
  error: (issue) => `invalid --engine "${String(issue.input)}": expected undici or hpm`,
});

const optionalText = z.string().transform((s) => (s.length ? s : null));

export const settingsSchema = z
  .object({
    port: integer('port', 0, 65535).default(8080),
    host: z.string().min(1).default('0.0.0.0'),
    backends: backends.optional(),
    algo: algorithm.default('roundrobin'),
    healthInterval: duration('health-interval').default(5000),
    healthPath: healthPath.default('/health'),
    healthTimeout: duration('health-timeout').default(2000),
    healthRise: integer('health-rise', 1, 100).default(1),
    healthFall: integer('health-fall', 1, 100).default(1),
    retries: integer('retries', 0, 1000).optional(),
    upstreamTimeout: duration('upstream-timeout').default(60_000),
    shutdownTimeout: duration('shutdown-timeout').default(10_000),
    trustProxy: boolean('trust-proxy').default(false),
    adminPort: integer('admin-port', 0, 65535).optional(),
    adminToken: optionalText.optional(),
    stateFile: optionalText.optional(),
    adminAllow: cidrList.default(['127.0.0.0/8', '::1']),
    adminProtectReads: boolean('admin-protect-reads').default(false),
    lab: boolean('lab').default(false),
    logLevel: logLevel.default('info'),
    // NEW (issue 13)
    engine: engine.default('undici'),
  })
  .strict();

export type Settings = z.input<typeof settingsSchema>;

export function toBalancerConfig(settings: z.output<typeof settingsSchema>): BalancerConfig {
  return {
    port: settings.port,
    host: settings.host,
    backends: settings.backends ?? [],
    algorithm: settings.algo,
    healthIntervalMs: settings.healthInterval,
    healthPath: settings.healthPath,
    healthTimeoutMs: settings.healthTimeout,
    healthRise: settings.healthRise,
    healthFall: settings.healthFall,
    retries: settings.retries ?? null,
    upstreamTimeoutMs: settings.upstreamTimeout,
    shutdownTimeoutMs: settings.shutdownTimeout,
    trustProxy: settings.trustProxy,
    adminPort: settings.adminPort ?? null,
    adminToken: settings.adminToken ?? null,
    stateFile: settings.stateFile ?? null,
    adminAllow: settings.adminAllow,
    adminProtectReads: settings.adminProtectReads,
    lab: settings.lab,
    logLevel: settings.logLevel,
    // NEW (issue 13)
    engine: settings.engine,
  };
}
