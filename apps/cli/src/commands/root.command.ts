import type { Command } from 'commander';
import { CommandRunner, Help, Option, RootCommand } from 'nest-commander';
import { UsageError } from '../errors/cli-failure';
import { BANNER } from '../output/banner';
import { parseBaseUrl } from '../settings/option-parsers';
import { DEFAULT_BALANCER_URL } from '../settings/cli-settings';

/**
 * `loadex` itself: the global options every command shares, the banner, and the no-argument help.
 * A `preAction` hook (CommanderProgramSetup) hands the parsed options to CliSettings.
 */
@RootCommand({
  name: 'loadex',
  description: 'Operate and load-test a Loadex balancer through its admin REST API.',
})
export class LoadexRootCommand extends CommandRunner {
  /** The commander program nest-commander built from this class (subcommands attached). */
  get program(): Command {
    return this.command;
  }

  async run(passedParams: string[]): Promise<void> {
    if (passedParams.length > 0) throw new UsageError(`unknown command '${passedParams[0]}' (see loadex --help)`);
    this.command.outputHelp();
  }

  @Option({
    flags: '-u, --url <url>',
    description: "the balancer's URL (its admin API)",
    defaultValue: DEFAULT_BALANCER_URL,
    env: 'LOADEX_URL',
  })
  parseUrl(value: string): string {
    return parseBaseUrl(value);
  }

  @Option({ flags: '--admin-url <url>', description: "same as --url (the original Go Loadex's spelling)" })
  parseAdminUrl(value: string): string {
    return parseBaseUrl(value);
  }

  @Option({
    flags: '--token <token>',
    description: 'admin token, sent as Authorization: Bearer <token>',
    env: 'LOADEX_ADMIN_TOKEN',
  })
  parseToken(value: string): string {
    return value;
  }

  @Option({ flags: '--json', description: 'machine-readable JSON output (no colour, no banner)' })
  parseJson(): boolean {
    return true;
  }

  @Option({ flags: '--no-color', description: 'no colour (NO_COLOR is respected too)' })
  parseNoColor(): boolean {
    return false;
  }

  /** The banner tops `loadex --help` and the no-argument help, on a terminal and without --json. */
  @Help('before')
  banner(): string {
    const json = this.command.opts<{ json?: boolean }>().json === true;
    return process.stdout.isTTY === true && !json ? BANNER : '';
  }
}
