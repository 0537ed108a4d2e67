import { Command, CommanderError, Option } from 'commander';
import { CONFIG_FILE_OPTION, defaultText, SETTING_DEFINITIONS, type SettingDefinition } from './settings-registry';
import type { Settings } from './settings-schema';

export interface CommandLine {
  /** Settings given as flags. */
  flags: Settings;
  /** Settings given through LOADEX_* environment variables. */
  env: Settings;
  configFile: string | undefined;
}

/**
 * Go-style single-dash long flags (`-port 8080`, the original Go Loadex's form) become `--port 8080`.
 * Single-letter flags (`-h`, `-V`) are left alone.
 */
export function normaliseGoStyleFlags(argv: readonly string[]): string[] {
  return argv.map((arg) => (/^-[a-zA-Z][a-zA-Z-]+(=.*)?$/.test(arg) ? `-${arg}` : arg));
}

/** `--help`'s line for a setting: its meaning, its environment variable and its default. */
function helpLine(setting: SettingDefinition): string {
  const text = setting.help.replace(/`/g, '');
  return `${text} (env ${setting.env}) [${defaultText(setting)}]`;
}

/** The parser for the balancer's command line, built from the settings registry. */
function buildProgram(version: string): Command {
  const program = new Command('loadbalancer')
    .description('Loadex: an HTTP reverse-proxy load balancer')
    .version(version, '-V, --version')
    .helpOption('-h, --help')
    .exitOverride()
    .configureOutput({ writeErr: () => undefined })
    .allowExcessArguments(false);
  const config = CONFIG_FILE_OPTION;
  program.addOption(new Option(`--${config.flag} <file>`, `${config.help} (env ${config.env})`));
  for (const setting of SETTING_DEFINITIONS) {
    for (const name of flagNames(setting)) {
      const option = new Option(setting.switch ? `--${name} [bool]` : `--${name} <value>`, helpLine(setting));
      program.addOption(name === setting.flag ? option : option.hideHelp());
    }
  }
  return program;
}

export function readCommandLine(argv: readonly string[], env: NodeJS.ProcessEnv, version: string): CommandLine {
  const program = buildProgram(version);
  program.parse(normaliseGoStyleFlags(argv), { from: 'user' });
  const parsed = program.opts<Record<string, string | boolean | undefined>>();

  const flags: Record<string, unknown> = {};
  const fromEnv: Record<string, unknown> = {};
  for (const setting of SETTING_DEFINITIONS) {
    for (const name of flagNames(setting)) {
      const value = parsed[camelCase(name)];
      if (value !== undefined) flags[setting.key] = value;
    }
    const envValue = env[setting.env];
    if (envValue !== undefined) fromEnv[setting.key] = envValue;
  }
  // LOADEX_CONFIG is read from `env` like every other variable (not from process.env behind our back).
  const configFile =
    (parsed[CONFIG_FILE_OPTION.flag] as string | undefined) ?? (env[CONFIG_FILE_OPTION.env] || undefined);
  return { flags, env: fromEnv, configFile };
}

export { CommanderError };

/** The flag and its aliases; the aliases are accepted but not listed in `--help`. */
function flagNames(setting: SettingDefinition): readonly string[] {
  return [setting.flag, ...(setting.aliases ?? [])];
}

/** `outlier-5xx` → `outlier5xx`, `health-interval` → `healthInterval`: commander's attribute names. */
export function camelCase(name: string): string {
  return name.replace(/-(.)/g, (_, c: string) => c.toUpperCase());
}
