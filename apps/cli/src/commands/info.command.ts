import { Command, CommandRunner } from 'nest-commander';
import { AdminApiClient } from '../api/admin-api-client';
import { ConsoleOutput } from '../output/console-output';
import { PoolFormatter } from '../output/pool-formatter';
import { CliSettings } from '../settings/cli-settings';

@Command({ name: 'info', description: "the balancer's version, algorithm, uptime and pool size" })
export class InfoCommand extends CommandRunner {
  constructor(
    private readonly api: AdminApiClient,
    private readonly output: ConsoleOutput,
    private readonly formatter: PoolFormatter,
    private readonly settings: CliSettings,
  ) {
    super();
  }

  async run(): Promise<void> {
    const info = await this.api.info();
    this.output.result(info, () => this.formatter.info(info, this.settings.baseUrl));
  }
}
