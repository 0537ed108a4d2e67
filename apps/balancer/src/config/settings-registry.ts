import { z } from 'zod';
import { ALGORITHM_CHOICES } from '@loadex/algorithms';
import {
  algorithm,
  algorithmOption,
  backends,
  boolean,
  cidrList,
  cookieName,
  duration,
  durationOrOff,
  durationText,
  engine,
  workers,
  healthPath,
  hostList,
  instanceName,
  integer,
  logLevel,
  numberText,
  optionalText,
  percent,
  storeUrl,
} from './setting-values';

/** The README's flag table is grouped by these, in this order. */
export const SETTING_GROUPS = [
  'Listening',
  'Balancing',
  'Health checks',
  'Failover',
  'Admin API',
  'Replicas',
  'Operation',
] as const;

export type SettingGroup = (typeof SETTING_GROUPS)[number];

/**
 * One balancer setting, the single source of everything said about it: the command-line parser,
 * `--help`, the environment reader, the config-file keys, the validated `BalancerConfig` and the
 * README's flag table are all derived from these fields.
 */
export interface SettingDefinition {
  /** The property of `BalancerConfig` that holds the validated value. */
  readonly key: string;
  /** The long flag without dashes; the original Go Loadex's single-dash form (`-port`) works too. */
  readonly flag: string;
  /** Other names accepted for it: extra flags and config-file keys (kebab- or camelCase). */
  readonly aliases?: readonly string[];
  readonly env: string;
  /** Validates and converts the raw value (a string from flags and env, any YAML/JSON value from a file). */
  readonly schema: z.ZodType;
  /** The default, written as a user would write it; absent: the setting is off or unset (`null`). */
  readonly default?: unknown;
  /** How the README and `--help` show the default when the value alone would not say it. */
  readonly defaultText?: string;
  /** A switch (`--lab`, or `--lab false`) rather than a flag that takes a value. */
  readonly switch?: boolean;
  readonly help: string;
  readonly group: SettingGroup;
}

/** `--config FILE`: where more settings come from, so not a setting itself (no config-file key). */
export const CONFIG_FILE_OPTION = {
  flag: 'config',
  env: 'LOADEX_CONFIG',
  help: 'YAML or JSON file with the same settings (kebab- or camelCase keys); flags override env, env overrides file',
  group: 'Operation',
} as const;

/** Keeps each entry's literal types (its key, its schema, whether it has a default). */
const define = <const D extends SettingDefinition>(definition: D): D => definition;

/** Every setting of the balancer. Add a setting here and nowhere else (then `npm run docs`). */
export const SETTINGS = [
  define({
    key: 'port',
    flag: 'port',
    env: 'LOADEX_PORT',
    schema: integer('port', 0, 65535),
    default: 8080,
    help: 'proxy listener (also serves the admin routes unless `--admin-port`); `0` = any free port',
    group: 'Listening',
  }),
  define({
    key: 'host',
    flag: 'host',
    env: 'LOADEX_HOST',
    schema: z.string().min(1, 'invalid --host: expected an address to listen on'),
    default: '0.0.0.0',
    help: 'listen address',
    group: 'Listening',
  }),
  define({
    key: 'clientHeaderTimeoutMs',
    flag: 'client-header-timeout',
    env: 'LOADEX_CLIENT_HEADER_TIMEOUT',
    schema: duration('client-header-timeout'),
    default: '10s',
    help: 'a client that has not sent its whole request head by then gets `408` and is closed',
    group: 'Listening',
  }),
  define({
    key: 'clientIdleTimeoutMs',
    flag: 'client-idle-timeout',
    env: 'LOADEX_CLIENT_IDLE_TIMEOUT',
    schema: duration('client-idle-timeout'),
    default: '60s',
    help: 'idle keep-alive client connections are closed after this',
    group: 'Listening',
  }),
  define({
    key: 'maxConnections',
    flag: 'max-connections',
    env: 'LOADEX_MAX_CONNECTIONS',
    schema: integer('max-connections', 1, 1_000_000),
    default: 10000,
    help: "client connections beyond this (per proxy thread) are closed at once and counted, as nginx's per-worker `worker_connections`",
    group: 'Listening',
  }),
  define({
    key: 'backends',
    flag: 'backends',
    env: 'LOADEX_BACKENDS',
    schema: backends,
    default: [],
    defaultText: '—',
    help: 'comma-separated origins; `URL=W` gives weight W (integer 1–1000, default 1)',
    group: 'Balancing',
  }),
  define({
    key: 'algorithm',
    flag: 'algo',
    aliases: ['algorithm'],
    env: 'LOADEX_ALGO',
    schema: algorithm,
    default: 'roundrobin',
    help: `${ALGORITHM_CHOICES}, case-insensitive`,
    group: 'Balancing',
  }),
  define({
    key: 'engine',
    flag: 'engine',
    env: 'LOADEX_ENGINE',
    schema: engine,
    default: 'undici',
    help: "forwarding engine: `undici` (undici's dispatch API, one keep-alive pool per backend) or `hpm` (http-proxy-middleware on node:http)",
    group: 'Listening',
  }),
  define({
    key: 'workers',
    flag: 'workers',
    env: 'LOADEX_WORKERS',
    schema: workers,
    default: 'auto',
    help: 'data-plane threads sharing the proxy port (`reusePort`): `auto` = one per core, or a number; `1` proxies on the main thread',
    group: 'Listening',
  }),
  define({
    key: 'healthIntervalMs',
    flag: 'health-interval',
    env: 'LOADEX_HEALTH_INTERVAL',
    schema: duration('health-interval'),
    default: '5s',
    help: 'time between active checks: `500ms`, `5s`, `1m`',
    group: 'Health checks',
  }),
  define({
    key: 'healthPath',
    flag: 'health-path',
    env: 'LOADEX_HEALTH_PATH',
    schema: healthPath,
    default: '/health',
    help: 'path checked on every backend; 200 = healthy, anything else or no answer = unhealthy',
    group: 'Health checks',
  }),
  define({
    key: 'healthTimeoutMs',
    flag: 'health-timeout',
    env: 'LOADEX_HEALTH_TIMEOUT',
    schema: duration('health-timeout'),
    default: '2s',
    help: 'a check with no answer by then fails',
    group: 'Health checks',
  }),
  define({
    key: 'healthRise',
    flag: 'health-rise',
    env: 'LOADEX_HEALTH_RISE',
    schema: integer('health-rise', 1, 100),
    default: 1,
    help: 'consecutive passes that bring a backend up',
    group: 'Health checks',
  }),
  define({
    key: 'healthFall',
    flag: 'health-fall',
    env: 'LOADEX_HEALTH_FALL',
    schema: integer('health-fall', 1, 100),
    default: 1,
    help: 'consecutive failures that take a backend down',
    group: 'Health checks',
  }),
  define({
    key: 'retries',
    flag: 'retries',
    env: 'LOADEX_RETRIES',
    schema: integer('retries', 0, 1000),
    defaultText: 'every routable backend once',
    help: 'attempts after the first, when it is safe to re-send',
    group: 'Failover',
  }),
  define({
    key: 'upstreamTimeoutMs',
    flag: 'upstream-timeout',
    env: 'LOADEX_UPSTREAM_TIMEOUT',
    schema: duration('upstream-timeout'),
    default: '60s',
    help: 'no response headers from the backend by then → `504`; a body silent that long is cut',
    group: 'Failover',
  }),
  define({
    key: 'retryBudgetPercent',
    flag: 'retry-budget',
    env: 'LOADEX_RETRY_BUDGET',
    schema: percent('retry-budget'),
    default: '20%',
    help: 'a retry is refused (`502`, as if no retry were left) when retries in flight exceed this share of requests in flight and retries over the last 10 s exceed this share of the requests over them; at least 3 a second are allowed',
    group: 'Failover',
  }),
  define({
    key: 'outlier5xx',
    flag: 'outlier-5xx',
    env: 'LOADEX_OUTLIER_5XX',
    schema: integer('outlier-5xx', 0, 1000),
    default: 5,
    help: '5xx answers or failed attempts in a row that eject a backend (passive outlier detection); `0` = off',
    group: 'Failover',
  }),
  define({
    key: 'outlierEjectionMs',
    flag: 'outlier-ejection',
    env: 'LOADEX_OUTLIER_EJECTION',
    schema: duration('outlier-ejection'),
    default: '30s',
    help: 'base ejection time: the k-th ejection in a row lasts k × this, at most 10 ×; flapping health (3 changes within 10 health intervals) holds a backend down this long',
    group: 'Failover',
  }),
  define({
    key: 'outlierMaxEjectedPercent',
    flag: 'outlier-max-ejected',
    env: 'LOADEX_OUTLIER_MAX_EJECTED',
    schema: percent('outlier-max-ejected'),
    default: '50%',
    help: 'never eject more than this share of the pool (one backend always may be)',
    group: 'Failover',
  }),
  define({
    key: 'slowStartMs',
    flag: 'slow-start',
    env: 'LOADEX_SLOW_START',
    schema: durationOrOff('slow-start'),
    default: '0s',
    help: 'a backend that joins or comes back ramps from a tenth of its weight to all of it over this time; `0s` = off',
    group: 'Balancing',
  }),
  define({
    key: 'shutdownTimeoutMs',
    flag: 'shutdown-timeout',
    env: 'LOADEX_SHUTDOWN_TIMEOUT',
    schema: duration('shutdown-timeout'),
    default: '10s',
    help: 'how long SIGTERM/SIGINT waits for in-flight requests',
    group: 'Operation',
  }),
  define({
    key: 'hashKey',
    flag: 'hash-key',
    env: 'LOADEX_HASH_KEY',
    schema: algorithmOption('hash-key', 'hash', 'key'),
    default: 'ip',
    help: 'what `--algo hash` hashes: `ip`, `path`, `header:NAME`, `cookie:NAME` or `query:NAME`',
    group: 'Balancing',
  }),
  define({
    key: 'hashBalanceFactor',
    flag: 'hash-balance-factor',
    env: 'LOADEX_HASH_BALANCE_FACTOR',
    schema: algorithmOption('hash-balance-factor', 'hash', 'balanceFactor', numberText),
    default: 0,
    help: 'consistent hashing with bounded loads: no backend above ⌈F × mean in-flight⌉, e.g. `1.25`; `0` = off',
    group: 'Balancing',
  }),
  define({
    key: 'ewmaDecay',
    flag: 'ewma-decay',
    env: 'LOADEX_EWMA_DECAY',
    schema: algorithmOption('ewma-decay', 'ewma', 'decayMs', durationText),
    default: '10s',
    help: 'how fast `ewma` and `leasttime` forget old latency samples (the TTFB peak-EWMA τ)',
    group: 'Balancing',
  }),
  define({
    key: 'stickyCookie',
    flag: 'sticky-cookie',
    env: 'LOADEX_STICKY_COOKIE',
    schema: cookieName,
    help: 'a cookie name: a client that has it goes back to its backend while that one is routable; the first answer sets it (an opaque id, HttpOnly, SameSite=Lax); works with any `--algo`',
    group: 'Balancing',
  }),
  define({
    key: 'trustProxy',
    flag: 'trust-proxy',
    env: 'LOADEX_TRUST_PROXY',
    schema: boolean('trust-proxy'),
    default: false,
    switch: true,
    help: 'take the client address from `X-Forwarded-For` (IP hash, logs)',
    group: 'Balancing',
  }),
  define({
    key: 'adminPort',
    flag: 'admin-port',
    env: 'LOADEX_ADMIN_PORT',
    schema: integer('admin-port', 0, 65535),
    help: 'admin API, dashboard and metrics on their own listener; the proxy port then forwards every path',
    group: 'Admin API',
  }),
  define({
    key: 'adminToken',
    flag: 'admin-token',
    env: 'LOADEX_ADMIN_TOKEN',
    schema: optionalText,
    help: 'every admin mutation needs `Authorization: Bearer <token>`',
    group: 'Admin API',
  }),
  define({
    key: 'adminAllow',
    flag: 'admin-allow',
    env: 'LOADEX_ADMIN_ALLOW',
    schema: cidrList,
    default: ['127.0.0.0/8', '::1'],
    help: 'CIDRs whose clients may call admin mutations without a token',
    group: 'Admin API',
  }),
  define({
    key: 'adminProtectReads',
    flag: 'admin-protect-reads',
    env: 'LOADEX_ADMIN_PROTECT_READS',
    schema: boolean('admin-protect-reads'),
    default: false,
    switch: true,
    help: 'read-only admin routes need the same client check and token as mutations',
    group: 'Admin API',
  }),
  define({
    key: 'adminHosts',
    flag: 'admin-hosts',
    env: 'LOADEX_ADMIN_HOSTS',
    schema: hostList,
    default: [],
    defaultText: '—',
    help: 'host names the admin API answers to besides IP literals and `localhost` (DNS-rebinding check); `.example.com` = it and its subdomains',
    group: 'Admin API',
  }),
  define({
    key: 'stateFile',
    flag: 'state-file',
    env: 'LOADEX_STATE_FILE',
    schema: optionalText,
    help: 'persist runtime changes here and restore them at start',
    group: 'Operation',
  }),
  define({
    key: 'store',
    flag: 'store',
    env: 'LOADEX_STORE',
    schema: storeUrl,
    help: '`redis://[:password@]host:port/db` (or `rediss://`): share backends, weights, drain states and the algorithm with other replicas ([docs/replicas.md](docs/replicas.md)); excludes `--state-file`',
    group: 'Replicas',
  }),
  define({
    key: 'instance',
    flag: 'instance',
    env: 'LOADEX_INSTANCE',
    schema: instanceName,
    defaultText: 'hostname:port',
    help: "this replica's name in the store, `/api/instances`, the CLI and the dashboard",
    group: 'Replicas',
  }),
  define({
    key: 'storeOptional',
    flag: 'store-optional',
    env: 'LOADEX_STORE_OPTIONAL',
    schema: boolean('store-optional'),
    default: false,
    switch: true,
    help: 'start from `--backends` when the store is unreachable, and keep trying to reach it',
    group: 'Replicas',
  }),
  define({
    key: 'lab',
    flag: 'lab',
    env: 'LOADEX_LAB',
    schema: boolean('lab'),
    default: false,
    switch: true,
    help: "dashboard lab controls relayed to the demo backends' `/control`",
    group: 'Operation',
  }),
  define({
    key: 'accessLog',
    flag: 'access-log',
    env: 'LOADEX_ACCESS_LOG',
    schema: boolean('access-log'),
    default: false,
    switch: true,
    help: 'one JSON line per request on stdout (time, client, method, path, status, bytes, duration, upstream time, backend, attempts), written asynchronously (in order within each thread)',
    group: 'Operation',
  }),
  define({
    key: 'logLevel',
    flag: 'log-level',
    env: 'LOADEX_LOG_LEVEL',
    schema: logLevel,
    default: 'info',
    help: 'pino level: fatal, error, warn, info, debug, trace or silent; pretty on a terminal, JSON lines otherwise',
    group: 'Operation',
  }),
] as const;

export type Setting = (typeof SETTINGS)[number];

/** The registry seen through the common interface, for code that treats every setting alike. */
export const SETTING_DEFINITIONS: readonly SettingDefinition[] = SETTINGS;

/** The README and `--help` form of a setting's default: `5s`, `127.0.0.0/8,::1`, `off`, `—`. */
export function defaultText(setting: SettingDefinition): string {
  if (setting.defaultText !== undefined) return setting.defaultText;
  if (!('default' in setting)) return '—';
  const value = setting.default;
  if (value === false) return 'off';
  if (value === true) return 'on';
  if (Array.isArray(value)) return value.length ? value.join(',') : '—';
  return String(value);
}
