import { Injectable } from '@nestjs/common';
import { CommandRunner, Option } from 'nest-commander';
import { AdminApiClient } from '../api/admin-api-client';
import { ConsoleOutput } from '../output/console-output';
import { PoolFormatter } from '../output/pool-formatter';
import { parseTargetUrl } from '../settings/option-parsers';
import { TARGET_OPTION, type TargetOptions } from './target-option';

/**
 * The commands that act on one backend (`-t, --target URL`: add-server, remove-server, drain,
 * undrain, weight): the API client, the output, and the shared, validated target option.
 * Each subclass is a `@Command` with just its `run`.
 */
@Injectable()
export abstract class BackendCommand<O extends TargetOptions = TargetOptions> extends CommandRunner {
  constructor(
    protected readonly api: AdminApiClient,
    protected readonly output: ConsoleOutput,
    protected readonly formatter: PoolFormatter,
  ) {
    super();
  }

  abstract override run(params: string[], options: O): Promise<void>;

  @Option(TARGET_OPTION)
  parseTarget(value: string): string {
    return parseTargetUrl(value);
  }
}
