import { Command, CommandRunner } from 'nest-commander';
import { AdminApiClient } from '../api/admin-api-client';
import { ConsoleOutput } from '../output/console-output';
import { PoolFormatter } from '../output/pool-formatter';
import { sortByUrl } from '../output/sort-by-url';

@Command({ name: 'health', description: 'every backend with its health, weight, state and active requests' })
export class HealthCommand extends CommandRunner {
  constructor(
    private readonly api: AdminApiClient,
    private readonly output: ConsoleOutput,
    private readonly formatter: PoolFormatter,
  ) {
    super();
  }

  async run(): Promise<void> {
    const backends = sortByUrl(await this.api.backends());
    this.output.result(backends, () => this.formatter.healthTable(backends));
  }
}
