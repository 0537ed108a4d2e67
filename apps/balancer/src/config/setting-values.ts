import { availableParallelism } from 'node:os';
import { isIP } from 'node:net';
import ms from 'ms';
import { z } from 'zod';
import { ALGORITHM_CHOICES, findAlgorithm, resolveAlgorithmName } from '@loadex/algorithms';
import { BackendUrlError, parseBackendUrl } from '@loadex/pool';
import { parseStoreUrl, redactStoreUrl } from '../store/store-url';

/** A backend from --backends: its origin and weight. */
export interface BackendSpec {
  url: URL;
  weight: number;
}

/**
 * The value types of the settings registry. Each accepts what arrives from flags, environment or a
 * config file (strings or typed values) and converts it, so every source gets the same checks and
 * messages.
 */
export const duration = (flag: string) =>
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

/** A duration where `0` (or `0s`) means off. */
export const durationOrOff = (flag: string) =>
  z.union([z.string(), z.number()]).transform((value, ctx) => {
    const millis = typeof value === 'number' ? value : ms(value.trim() as ms.StringValue);
    if (typeof millis !== 'number' || !Number.isFinite(millis) || millis < 0) {
      ctx.addIssue({
        code: 'custom',
        message: `invalid --${flag} "${value}": expected a duration like 500ms, 30s or 1m, or 0 for off`,
      });
      return z.NEVER;
    }
    return Math.round(millis);
  });

/** A share from 0 to 100, written `20%` or `20`. */
export const percent = (flag: string) =>
  z.union([z.string(), z.number()]).transform((value, ctx) => {
    const text = typeof value === 'number' ? String(value) : value.trim().replace(/%$/, '');
    const n = /^\d+(\.\d+)?$/.test(text) ? Number(text) : NaN;
    if (!(n >= 0 && n <= 100)) {
      ctx.addIssue({ code: 'custom', message: `invalid --${flag} "${value}": expected a percentage from 0% to 100%` });
      return z.NEVER;
    }
    return n;
  });

export const integer = (flag: string, min: number, max: number) =>
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

export const boolean = (flag: string) =>
  z.union([z.boolean(), z.string()]).transform((value, ctx) => {
    if (typeof value === 'boolean') return value;
    const v = value.trim().toLowerCase();
    if (['1', 'true', 'yes', 'on', ''].includes(v)) return true;
    if (['0', 'false', 'no', 'off'].includes(v)) return false;
    ctx.addIssue({ code: 'custom', message: `invalid --${flag} "${value}": expected true or false` });
    return z.NEVER;
  });

/** `a, b,,c` → `['a', 'b', 'c']`: the list form of flags and env values. */
function commaList(text: string): string[] {
  return text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

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

export const backends = z.union([z.string(), z.array(z.unknown())]).transform((value, ctx) => {
  const entries = typeof value === 'string' ? commaList(value) : value;
  // Only a given-but-empty list is an error; the registry's default is the empty array (the pool
  // may come from --state-file; loadConfig checks that there is a pool at all).
  if (entries.length === 0 && typeof value === 'string') {
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

export const algorithm = z.string().transform((value, ctx) => {
  const name = resolveAlgorithmName(value);
  if (!name) {
    ctx.addIssue({ code: 'custom', message: `unknown --algo "${value}": expected one of ${ALGORITHM_CHOICES}` });
    return z.NEVER;
  }
  return name;
});

export const cidrList = z.union([z.string(), z.array(z.string())]).transform((value, ctx) => {
  const list = typeof value === 'string' ? commaList(value) : value;
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

/** --admin-hosts: host names (lower-cased) or `.suffix` entries for a domain and its subdomains. */
const adminHostName = z.hostname();
export const hostList = z.union([z.string(), z.array(z.string())]).transform((value, ctx) => {
  const list = typeof value === 'string' ? commaList(value) : value.map((s) => s.trim()).filter(Boolean);
  for (const entry of list) {
    const name = entry.startsWith('.') ? entry.slice(1) : entry;
    if (!adminHostName.safeParse(name).success || name.endsWith('.')) {
      ctx.addIssue({
        code: 'custom',
        message: `invalid --admin-hosts "${entry}": expected host names without port, like lb.example,.internal.example`,
      });
      return z.NEVER;
    }
  }
  return list.map((entry) => entry.toLowerCase());
});

export const healthPath = z.string().refine((p) => p.startsWith('/'), {
  message: 'invalid --health-path: expected a path starting with /',
});

export const logLevel = z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
  error: 'invalid --log-level: expected fatal, error, warn, info, debug, trace or silent',
});

export const optionalText = z.string().transform((s) => (s.length ? s : null));

/** --store: a redis:// or rediss:// URL (shown with its password masked in errors). */
export const storeUrl = z.string().transform((value, ctx) => {
  const text = value.trim();
  if (!text) return null;
  const parsed = parseStoreUrl(text);
  if (typeof parsed === 'string') {
    ctx.addIssue({ code: 'custom', message: `invalid --store "${redactStoreUrl(text)}": ${parsed}` });
    return z.NEVER;
  }
  return parsed;
});

/** --instance: a short printable name. */
export const instanceName = z.string().transform((value, ctx) => {
  const name = value.trim();
  if (!/^[\x21-\x7e]{1,100}$/.test(name)) {
    ctx.addIssue({
      code: 'custom',
      message: `invalid --instance "${value}": expected 1 to 100 printable characters without spaces`,
    });
    return z.NEVER;
  }
  return name;
});

/** An algorithm's option given as a flag (`--hash-key`), checked by that option's own registry schema. */
export const algorithmOption = (
  flag: string,
  algorithm: string,
  option: string,
  fromText: (text: string) => unknown = (text) => text,
) =>
  z.union([z.string(), z.number()]).transform((value, ctx) => {
    const schema = findAlgorithm(algorithm)!.options.shape[option] as z.ZodType;
    const result = schema.safeParse(typeof value === 'string' ? fromText(value.trim()) : value);
    if (!result.success) {
      ctx.addIssue({ code: 'custom', message: `invalid --${flag} "${value}": ${result.error.issues[0].message}` });
      return z.NEVER;
    }
    return result.data as unknown;
  });

export const numberText = (text: string): unknown =>
  text !== '' && Number.isFinite(Number(text)) ? Number(text) : text;
export const durationText = (text: string): unknown => ms(text as ms.StringValue) ?? text;

/** --engine: the forwarding engine behind the UpstreamTransport seam. */
export const FORWARDING_ENGINES = ['undici', 'hpm'] as const;
export type ForwardingEngine = (typeof FORWARDING_ENGINES)[number];
export const engine = z.enum(FORWARDING_ENGINES, {
  error: (issue) => `invalid --engine "${String(issue.input)}": expected undici or hpm`,
});

/** A cookie name (RFC 6265 token): for --sticky-cookie. */
export const cookieName = z.string().transform((value, ctx) => {
  const name = value.trim();
  if (name === '') return null;
  if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,128}$/.test(name)) {
    ctx.addIssue({
      code: 'custom',
      message: `invalid --sticky-cookie "${value}": expected a cookie name (letters, digits and !#$%&'*+.^_\`|~-)`,
    });
    return z.NEVER;
  }
  return name;
});

/** --workers: `auto` (one per core, os.availableParallelism()) or a count of data-plane threads. */
export const MAX_WORKERS = 256;
export const workers = z.union([z.number(), z.string()]).transform((value, ctx) => {
  const text = String(value).trim().toLowerCase();
  if (text === 'auto') return Math.min(availableParallelism(), MAX_WORKERS);
  const n = Number(text);
  if (Number.isInteger(n) && n >= 1 && n <= MAX_WORKERS) return n;
  ctx.addIssue({
    code: 'custom',
    message: `invalid --workers "${String(value)}": expected auto or a whole number from 1 to ${MAX_WORKERS}`,
  });
  return z.NEVER;
});
