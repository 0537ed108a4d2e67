import { Command, CommandRunner, Option } from 'nest-commander';
import {
  ALGORITHM_CHOICES,
  ALGORITHM_OPTIONS_SUMMARY,
  AlgorithmOptionsError,
  describeOptionIssues,
  findAlgorithm,
  optionsFromText,
  parseAlgorithmOptions,
} from '@loadex/algorithms';
import { AdminApiClient } from '../api/admin-api-client';
import { UsageError } from '../errors/cli-failure';
import { ConsoleOutput } from '../output/console-output';
import { PoolFormatter } from '../output/pool-formatter';

interface AlgoOptions {
  option?: string[];
  list?: boolean;
}

@Command({
  name: 'algo',
  arguments: '[name]',
  argsDescription: { name: `switch to this algorithm: ${ALGORITHM_CHOICES}` },
  description: 'show the balancing algorithm, or switch it at runtime with its options (--list: how each one chooses)',
})
export class AlgoCommand extends CommandRunner {
  constructor(
    private readonly api: AdminApiClient,
    private readonly output: ConsoleOutput,
    private readonly formatter: PoolFormatter,
  ) {
    super();
  }

  async run([name]: string[], options: AlgoOptions): Promise<void> {
    const pairs = options.option ?? [];
    if (options.list) {
      if (name !== undefined || pairs.length) throw new UsageError('--list takes no algorithm name and no --option');
      const list = await this.api.algorithms();
      this.output.result(list, () => this.formatter.algorithms(list));
      return;
    }
    if (name === undefined) {
      if (pairs.length) throw new UsageError('--option needs an algorithm name: loadex algo NAME --option KEY=VALUE');
      const view = await this.api.algorithm();
      this.output.result(view, () => this.formatter.algorithm(view));
      return;
    }
    const view = await this.api.setAlgorithm(name, pairs.length ? this.typedOptions(name, pairs) : undefined);
    this.output.result(view, () => this.formatter.algorithm(view, true));
  }

  /**
   * `KEY=VALUE` texts as the algorithm's typed options, checked here against the registry so a bad
   * value is a usage error (exit 2). An algorithm this CLI does not know is left to the balancer.
   */
  private typedOptions(name: string, pairs: readonly string[]): Record<string, unknown> {
    const definition = findAlgorithm(name);
    try {
      if (!definition) return optionsFromText(undefined, pairs);
      const options = optionsFromText(definition, pairs);
      const parsed = parseAlgorithmOptions(definition, options);
      if ('issues' in parsed) throw new UsageError(`--option: ${describeOptionIssues(parsed.issues)}`);
      return options;
    } catch (err) {
      if (err instanceof AlgorithmOptionsError) throw new UsageError(`--option: ${err.message}`);
      throw err;
    }
  }

  @Option({
    flags: '-o, --option <key=value>',
    description: `an option of the algorithm, repeatable (${ALGORITHM_OPTIONS_SUMMARY}); the others keep their defaults`,
  })
  parseOption(value: string, previous: string[] = []): string[] {
    return [...previous, value];
  }

  @Option({ flags: '--list', description: 'list every algorithm the balancer knows: aliases, how it chooses, options' })
  parseList(): boolean {
    return true;
  }
}
