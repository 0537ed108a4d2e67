import { Command, CommandRunner, Option } from 'nest-commander';
import { AdminApiClient } from '../api/admin-api-client';
import { ConsoleOutput } from '../output/console-output';
import { PoolFormatter } from '../output/pool-formatter';
import { parseTargetUrl } from '../settings/option-parsers';
import { TARGET_OPTION, type TargetOptions } from './target-option';

@Command({
  name: 'drain',
  description: 'drain a backend: no new requests, in-flight ones finish (undo with undrain)',
})
export class DrainCommand extends CommandRunner {
  constructor(
    private readonly api: AdminApiClient,
    private readonly output: ConsoleOutput,
    private readonly formatter: PoolFormatter,
  ) {
    super();
  }

  async run(_params: string[], options: TargetOptions): Promise<void> {
    const backend = await this.api.updateBackend(options.target, { state: 'draining' });
    this.output.result(backend, () => `draining ${this.formatter.backendLine(backend)}`);
  }

  @Option(TARGET_OPTION)
  parseTarget(value: string): string {
    return parseTargetUrl(value);
  }
}
