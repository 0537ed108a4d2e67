import { Command, CommandRunner } from 'nest-commander';
import { AdminApiClient } from '../api/admin-api-client';
import { ConsoleOutput } from '../output/console-output';
import { InstancesFormatter } from '../output/instances-formatter';
import { PoolFormatter } from '../output/pool-formatter';
import { sortByUrl } from '../output/sort-by-url';

@Command({
  name: 'stats',
  description:
    'one snapshot of per-backend requests, errors, requests/s and latency (with --store: also per replica and the cluster sums)',
})
export class StatsCommand extends CommandRunner {
  constructor(
    private readonly api: AdminApiClient,
    private readonly output: ConsoleOutput,
    private readonly formatter: PoolFormatter,
    private readonly instances: InstancesFormatter,
  ) {
    super();
  }

  async run(): Promise<void> {
    const snapshot = await this.api.stats();
    const replicas = snapshot.cluster ? await this.api.instances() : undefined;
    this.output.result(snapshot, () => {
      const local = `${this.formatter.statsHeading(snapshot)}\n${this.formatter.statsTable(snapshot, sortByUrl(snapshot.backends))}`;
      if (!snapshot.cluster || !replicas) return local;
      return [
        `${snapshot.instance ?? 'this instance'}:`,
        local,
        '',
        `${replicas.instances.length} instance(s):`,
        this.instances.instancesTable(replicas),
        '',
        'cluster:',
        this.instances.clusterTable(snapshot.cluster),
      ].join('\n');
    });
  }
}
