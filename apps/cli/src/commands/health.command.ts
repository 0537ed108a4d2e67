import { Command, CommandRunner, Option } from 'nest-commander';
import { AdminApiClient } from '../api/admin-api-client';
import { ConsoleOutput } from '../output/console-output';
import { InstancesFormatter } from '../output/instances-formatter';
import { PoolFormatter } from '../output/pool-formatter';
import { sortByUrl } from '../output/sort-by-url';

interface HealthOptions {
  allInstances?: boolean;
}

@Command({ name: 'health', description: 'every backend with its health, weight, state and active requests' })
export class HealthCommand extends CommandRunner {
  constructor(
    private readonly api: AdminApiClient,
    private readonly output: ConsoleOutput,
    private readonly formatter: PoolFormatter,
    private readonly instances: InstancesFormatter,
  ) {
    super();
  }

  async run(_params: string[], options: HealthOptions = {}): Promise<void> {
    if (options.allInstances) {
      const view = await this.api.instances();
      this.output.result(view, () => this.instances.healthMatrix(view));
      return;
    }
    const backends = sortByUrl(await this.api.backends());
    this.output.result(backends, () => this.formatter.healthTable(backends));
  }

  @Option({
    flags: '--all-instances',
    description: "with --store: every replica's own health view, one column per replica (GET /api/instances)",
  })
  parseAllInstances(): boolean {
    return true;
  }
}
