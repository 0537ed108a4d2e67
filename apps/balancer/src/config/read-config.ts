import { version } from '../../../../package.json';
import type { BalancerConfig } from './balancer-config';
import { CommanderError, readCommandLine } from './command-line';
import { ConfigError } from './config-error';
import { loadConfig } from './load-config';

/** Flags → validated config, or one line on stderr and exit 2 before anything listens. */
export async function readConfig(): Promise<BalancerConfig> {
  try {
    return await loadConfig(readCommandLine(process.argv.slice(2), process.env, version));
  } catch (err) {
    if (err instanceof CommanderError) {
      if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version') process.exit(0);
      process.stderr.write(`loadbalancer: ${err.message.replace(/^error: /, '')} (see --help)\n`);
      process.exit(2);
    }
    if (err instanceof ConfigError) {
      process.stderr.write(`loadbalancer: ${err.message}\n`);
      process.exit(2);
    }
    throw err;
  }
}
