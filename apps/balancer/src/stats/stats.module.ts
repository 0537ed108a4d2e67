import { Module } from '@nestjs/common';
import { StatsCollector } from './stats-collector';
import { StatsHistory } from './stats-history';

/**
 * Live traffic statistics (and their last five minutes) for the admin API, the SSE stream, the
 * CLI and the dashboard.
 */
@Module({
  providers: [StatsCollector, StatsHistory],
  exports: [StatsCollector, StatsHistory],
})
export class StatsModule {}
