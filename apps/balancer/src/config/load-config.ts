import { readFile } from 'node:fs/promises';
import type { BalancerConfig } from './balancer-config';
import { ConfigError } from './config-error';
import { camelCase, type CommandLine } from './command-line';
import { SETTING_DEFINITIONS } from './settings-registry';
import { defaultInstanceName } from '../store/store-url';
import { settingsSchema, type Settings } from './settings-schema';

/** Config-file keys: each setting's flag and aliases, kebab-case (as the flags) or camelCase. */
const FILE_KEYS: ReadonlyMap<string, string> = new Map(
  SETTING_DEFINITIONS.flatMap((setting) =>
    [setting.flag, ...(setting.aliases ?? [])].map((name) => [camelCase(name), setting.key] as const),
  ),
);

function fileSettings(raw: unknown, file: string): Settings {
  if (raw === null || raw === undefined) return {};
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    throw new ConfigError(`config file ${file}: expected a mapping of settings`);
  }
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(raw)) {
    const camelKey = camelCase(key);
    // An unknown key is kept under its own name, so validation refuses it by name.
    out[FILE_KEYS.get(camelKey) ?? camelKey] = value;
  }
  return out;
}

async function readConfigFile(file: string): Promise<Settings> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new ConfigError(
      `cannot read config file ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
    );
  }
  // Loaded only when there is a file to read: most balancers start from flags alone.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { parse: parseYaml } = require('yaml') as typeof import('yaml');
  try {
    return fileSettings(parseYaml(text), file);
  } catch (err) {
    if (err instanceof ConfigError) throw err;
    throw new ConfigError(`config file ${file} is not valid YAML or JSON: ${(err as Error).message.split('\n')[0]}`);
  }
}

function flagOf(key: string): string {
  return SETTING_DEFINITIONS.find((setting) => setting.key === key)?.flag ?? key;
}

/** Flags override environment, environment overrides the config file. */
export async function loadConfig(commandLine: CommandLine): Promise<BalancerConfig> {
  const file = commandLine.configFile ? await readConfigFile(commandLine.configFile) : {};
  const merged = { ...file, ...commandLine.env, ...commandLine.flags };
  const result = settingsSchema.safeParse(merged);
  if (!result.success) {
    const issue = result.error.issues[0];
    const message =
      issue.code === 'unrecognized_keys'
        ? `unknown setting ${issue.keys.map((k) => `"${k}"`).join(', ')} in ${commandLine.configFile ?? 'settings'}`
        : issue.code === 'custom' || issue.path.length === 0 || issue.message.startsWith('invalid --')
          ? issue.message
          : `invalid --${flagOf(String(issue.path[0]))}: ${issue.message}`;
    throw new ConfigError(message);
  }
  const settings = result.data;
  const config: BalancerConfig = {
    ...settings,
    instance: settings.instance ?? defaultInstanceName(settings.port),
    algorithmDefaults: {
      hash: { key: settings.hashKey, balanceFactor: settings.hashBalanceFactor },
      ewma: { decayMs: settings.ewmaDecay },
    },
  };
  // One source of truth for runtime changes, not two.
  if (config.store && config.stateFile) {
    throw new ConfigError(
      '--state-file and --store are exclusive: the store keeps the runtime state of every replica (give one of them)',
    );
  }
  if (config.backends.length === 0 && !config.stateFile && !config.store) {
    throw new ConfigError(
      'no backends: give --backends http://host:port[=weight],... (or LOADEX_BACKENDS, or a config file)',
    );
  }
  if (config.adminPort !== null && config.adminPort !== 0 && config.adminPort === config.port) {
    throw new ConfigError(`--admin-port ${config.adminPort} must differ from --port`);
  }
  return config;
}
