import { Command, CommandRunner, Option } from 'nest-commander';
import { AdminApiClient } from '../api/admin-api-client';
import { ConsoleOutput } from '../output/console-output';
import { PoolFormatter } from '../output/pool-formatter';
import { parseTargetUrl } from '../settings/option-parsers';
import { TARGET_OPTION, type TargetOptions } from './target-option';

@Command({
  name: 'remove-server',
  description: 'remove a backend: it takes no new requests, its in-flight ones finish',
})
export class RemoveServerCommand extends CommandRunner {
  constructor(
    private readonly api: AdminApiClient,
    private readonly output: ConsoleOutput,
    private readonly formatter: PoolFormatter,
  ) {
    super();
  }

  async run(_params: string[], options: TargetOptions): Promise<void> {
    const backend = await this.api.removeBackend(options.target);
    this.output.result(backend, () => `removed ${this.formatter.backendLine(backend)}`);
  }

  @Option(TARGET_OPTION)
  parseTarget(value: string): string {
    return parseTargetUrl(value);
  }
}
