import { Command, CommandRunner } from 'nest-commander';
import { AdminApiClient } from '../api/admin-api-client';
import { ConsoleOutput } from '../output/console-output';
import { PoolFormatter } from '../output/pool-formatter';

@Command({
  name: 'algo',
  arguments: '[name]',
  argsDescription: { name: 'switch to this algorithm (roundrobin, weightedroundrobin, leastconnection, iphash)' },
  description: 'show the balancing algorithm, or switch it at runtime',
})
export class AlgoCommand extends CommandRunner {
  constructor(
    private readonly api: AdminApiClient,
    private readonly output: ConsoleOutput,
    private readonly formatter: PoolFormatter,
  ) {
    super();
  }

  async run([name]: string[]): Promise<void> {
    const view = name === undefined ? await this.api.algorithm() : await this.api.setAlgorithm(name);
    this.output.result(view, () => this.formatter.algorithm(view, name !== undefined));
  }
}
