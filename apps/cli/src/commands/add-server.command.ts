import { Command, CommandRunner, Option } from 'nest-commander';
import { AdminApiClient } from '../api/admin-api-client';
import { ConsoleOutput } from '../output/console-output';
import { PoolFormatter } from '../output/pool-formatter';
import { parseTargetUrl, parseWeight } from '../settings/option-parsers';
import { TARGET_OPTION, type TargetOptions, WEIGHT_OPTION } from './target-option';

interface AddServerOptions extends TargetOptions {
  weight?: number;
}

@Command({
  name: 'add-server',
  description: 'add a backend to the pool (adding one that is already there changes nothing)',
})
export class AddServerCommand extends CommandRunner {
  constructor(
    private readonly api: AdminApiClient,
    private readonly output: ConsoleOutput,
    private readonly formatter: PoolFormatter,
  ) {
    super();
  }

  async run(_params: string[], options: AddServerOptions): Promise<void> {
    const { backend, created } = await this.api.addBackend(options.target, options.weight);
    this.output.result({ created, backend }, () =>
      created
        ? `added ${this.formatter.backendLine(backend)}`
        : `already in the pool: ${this.formatter.backendLine(backend)}`,
    );
  }

  @Option(TARGET_OPTION)
  parseTarget(value: string): string {
    return parseTargetUrl(value);
  }

  @Option({ ...WEIGHT_OPTION, description: 'its weight, an integer from 1 to 1000 (default 1)' })
  parseWeight(value: string): number {
    return parseWeight(value);
  }
}
