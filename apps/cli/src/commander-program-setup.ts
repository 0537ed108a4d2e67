import { Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { LoadexRootCommand } from './commands/root.command';
import { CliSettings, type GlobalOptionValues } from './settings/cli-settings';

/**
 * The commander setup nest-commander leaves to the application, done once the program is built: the
 * parsed global options go to CliSettings before any command runs; every command throws instead of
 * exiting on a usage error (so `reportFailure` can exit with 2); and `loadex help <command>` works.
 */
@Injectable()
export class CommanderProgramSetup implements OnApplicationBootstrap {
  constructor(
    private readonly root: LoadexRootCommand,
    private readonly settings: CliSettings,
  ) {}

  onApplicationBootstrap(): void {
    const program = this.root.program;
    program.addHelpCommand('help [command]', 'show help for a command');
    program.hook('preAction', () => this.settings.load(program.opts<GlobalOptionValues>()));
    for (const command of [program, ...program.commands]) command.exitOverride();
  }
}
