import { Module } from '@nestjs/common';
import { ClusterView } from './cluster-view';
import { StatsCollector } from './stats-collector';
import { StatsHistory } from './stats-history';

/**
 * Live traffic statistics (and their last five minutes) for the admin API, the SSE stream, the
 * CLI and the dashboard.
 */
@Module({
  providers: [StatsCollector, StatsHistory, ClusterView],
  exports: [StatsCollector, StatsHistory, ClusterView],
})
export class StatsModule {}
