import { Command, CommandRunner } from 'nest-commander';
import { AdminApiClient } from '../api/admin-api-client';
import { ConsoleOutput } from '../output/console-output';
import { PoolFormatter } from '../output/pool-formatter';
import { sortByUrl } from '../output/sort-by-url';

@Command({
  name: 'stats',
  description: 'one snapshot of per-backend requests, errors, requests/s and latency',
})
export class StatsCommand extends CommandRunner {
  constructor(
    private readonly api: AdminApiClient,
    private readonly output: ConsoleOutput,
    private readonly formatter: PoolFormatter,
  ) {
    super();
  }

  async run(): Promise<void> {
    const snapshot = await this.api.stats();
    this.output.result(
      snapshot,
      () =>
        `${this.formatter.statsHeading(snapshot)}\n${this.formatter.statsTable(snapshot, sortByUrl(snapshot.backends))}`,
    );
  }
}
