import { Command, CommanderError, Option } from 'commander';
import type { Settings } from './settings-schema';

/** Every balancer setting: its flag, its environment variable, and its help text. */
const OPTIONS: ReadonlyArray<{ key: keyof Settings; flag: string; env?: string; help: string; bool?: boolean }> = [
  { key: 'port', flag: 'port', env: 'LOADEX_PORT', help: 'proxy listener port (0 = any free port) [8080]' },
  { key: 'host', flag: 'host', env: 'LOADEX_HOST', help: 'listen address [0.0.0.0]' },
  { key: 'backends', flag: 'backends', env: 'LOADEX_BACKENDS', help: 'comma-separated origins, URL=W for weight W' },
  {
    key: 'algo',
    flag: 'algo',
    env: 'LOADEX_ALGO',
    help: 'roundrobin|rr, weightedroundrobin|wrr, leastconnection|lc, iphash|ip [roundrobin]',
  },
  {
    key: 'healthInterval',
    flag: 'health-interval',
    env: 'LOADEX_HEALTH_INTERVAL',
    help: 'time between health checks, e.g. 500ms, 5s, 1m [5s]',
  },
  {
    key: 'healthPath',
    flag: 'health-path',
    env: 'LOADEX_HEALTH_PATH',
    help: 'path checked on every backend; 200 = healthy [/health]',
  },
  {
    key: 'healthTimeout',
    flag: 'health-timeout',
    env: 'LOADEX_HEALTH_TIMEOUT',
    help: 'a check with no answer by then fails [2s]',
  },
  {
    key: 'healthRise',
    flag: 'health-rise',
    env: 'LOADEX_HEALTH_RISE',
    help: 'consecutive passes that bring a backend up [1]',
  },
  {
    key: 'healthFall',
    flag: 'health-fall',
    env: 'LOADEX_HEALTH_FALL',
    help: 'consecutive failures that take a backend down [1]',
  },
  {
    key: 'retries',
    flag: 'retries',
    env: 'LOADEX_RETRIES',
    help: 'attempts after the first when safe to re-send [every routable backend once]',
  },
  {
    key: 'upstreamTimeout',
    flag: 'upstream-timeout',
    env: 'LOADEX_UPSTREAM_TIMEOUT',
    help: 'no response from the backend by then: 504 [60s]',
  },
  {
    key: 'shutdownTimeout',
    flag: 'shutdown-timeout',
    env: 'LOADEX_SHUTDOWN_TIMEOUT',
    help: 'how long SIGTERM waits for in-flight requests [10s]',
  },
  {
    key: 'trustProxy',
    flag: 'trust-proxy',
    env: 'LOADEX_TRUST_PROXY',
    help: 'take the client address from X-Forwarded-For',
    bool: true,
  },
  {
    key: 'adminPort',
    flag: 'admin-port',
    env: 'LOADEX_ADMIN_PORT',
    help: 'serve admin API, dashboard and metrics on their own port',
  },
  {
    key: 'adminToken',
    flag: 'admin-token',
    env: 'LOADEX_ADMIN_TOKEN',
    help: 'admin mutations need Authorization: Bearer <token>',
  },
  {
    key: 'stateFile',
    flag: 'state-file',
    env: 'LOADEX_STATE_FILE',
    help: 'persist runtime changes here and restore them at start',
  },
  {
    key: 'adminAllow',
    flag: 'admin-allow',
    env: 'LOADEX_ADMIN_ALLOW',
    help: 'CIDRs allowed to call admin mutations [127.0.0.0/8,::1]',
  },
  {
    key: 'adminProtectReads',
    flag: 'admin-protect-reads',
    env: 'LOADEX_ADMIN_PROTECT_READS',
    help: 'read-only admin routes need the same client check and token as mutations',
    bool: true,
  },
  {
    key: 'lab',
    flag: 'lab',
    env: 'LOADEX_LAB',
    help: "dashboard lab controls relayed to demo backends' /control",
    bool: true,
  },
  {
    key: 'logLevel',
    flag: 'log-level',
    env: 'LOADEX_LOG_LEVEL',
    help: 'fatal, error, warn, info, debug, trace or silent [info]',
  },
  // NEW (issue 13): the forwarding engine behind the UpstreamTransport seam.
  {
    key: 'engine',
    flag: 'engine',
    env: 'LOADEX_ENGINE',
    help: 'forwarding engine: undici or hpm (http-proxy-middleware) [undici]',
  },
];

export interface CommandLine {
  /** Settings given as flags. */
  flags: Partial<Settings>;
  /** Settings given through LOADEX_* environment variables. */
  env: Partial<Settings>;
  configFile: string | undefined;
}

/**
 * Go-style single-dash long flags (`-port 8080`, the seed's form) become `--port 8080`.
 * Single-letter flags (`-h`, `-V`) are left alone.
 */
export function normaliseGoStyleFlags(argv: readonly string[]): string[] {
  return argv.map((arg) => (/^-[a-zA-Z][a-zA-Z-]+(=.*)?$/.test(arg) ? `-${arg}` : arg));
}

export function readCommandLine(argv: readonly string[], env: NodeJS.ProcessEnv, version: string): CommandLine {
  const program = new Command('loadbalancer')
    .description('Loadex: an HTTP reverse-proxy load balancer')
    .version(version, '-V, --version')
    .helpOption('-h, --help')
    .exitOverride()
    .configureOutput({ writeErr: () => undefined })
    .allowExcessArguments(false);
  program.addOption(new Option('--config <file>', 'YAML or JSON file with the same settings (env: LOADEX_CONFIG)'));
  for (const o of OPTIONS) {
    program.addOption(new Option(o.bool ? `--${o.flag} [bool]` : `--${o.flag} <value>`, o.help));
  }
  program.parse(normaliseGoStyleFlags(argv), { from: 'user' });
  const parsed = program.opts<Record<string, string | boolean | undefined>>();

  const flags: Partial<Settings> = {};
  const fromEnv: Partial<Settings> = {};
  for (const o of OPTIONS) {
    const value = parsed[camel(o.flag)];
    if (value !== undefined) (flags as Record<string, unknown>)[o.key] = value;
    const envValue = o.env ? env[o.env] : undefined;
    if (envValue !== undefined) (fromEnv as Record<string, unknown>)[o.key] = envValue;
  }
  // LOADEX_CONFIG is read from `env` like every other variable (not from process.env behind our back).
  const configFile = (parsed.config as string | undefined) ?? (env.LOADEX_CONFIG || undefined);
  return { flags, env: fromEnv, configFile };
}

export { CommanderError };

function camel(flag: string): string {
  return flag.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
}
