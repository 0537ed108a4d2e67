import { Module } from '@nestjs/common';
import { StatsCollector } from './stats-collector';

/** Live traffic statistics for the admin API, the SSE stream, the CLI and the dashboard. */
@Module({
  providers: [StatsCollector],
  exports: [StatsCollector],
})
export class StatsModule {}
