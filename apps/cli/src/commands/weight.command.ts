import { Command, CommandRunner, Option } from 'nest-commander';
import { AdminApiClient } from '../api/admin-api-client';
import { ConsoleOutput } from '../output/console-output';
import { PoolFormatter } from '../output/pool-formatter';
import { parseTargetUrl, parseWeight } from '../settings/option-parsers';
import { TARGET_OPTION, type TargetOptions, WEIGHT_OPTION } from './target-option';

interface WeightOptions extends TargetOptions {
  weight: number;
}

@Command({ name: 'weight', description: "change a backend's weight" })
export class WeightCommand extends CommandRunner {
  constructor(
    private readonly api: AdminApiClient,
    private readonly output: ConsoleOutput,
    private readonly formatter: PoolFormatter,
  ) {
    super();
  }

  async run(_params: string[], options: WeightOptions): Promise<void> {
    const backend = await this.api.updateBackend(options.target, { weight: options.weight });
    this.output.result(backend, () => `weight set: ${this.formatter.backendLine(backend)}`);
  }

  @Option(TARGET_OPTION)
  parseTarget(value: string): string {
    return parseTargetUrl(value);
  }

  @Option({ ...WEIGHT_OPTION, required: true })
  parseWeight(value: string): number {
    return parseWeight(value);
  }
}
