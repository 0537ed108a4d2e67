import { Controller, Get, UseGuards } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { StatsSnapshot } from '@loadex/api';
import { StatsCollector } from '../stats/stats-collector';
import { AdminMutationGuard } from './admin-mutation.guard';
import { statsSnapshotSchema } from './admin-response.schemas';

@ApiTags('stats')
@Controller('api/stats')
@UseGuards(AdminMutationGuard)
export class StatsController {
  constructor(private readonly stats: StatsCollector) {}

  @Get()
  @ApiOperation({ summary: 'Totals and per-backend requests, errors, in-flight, requests/s (10 s), p50/p95/p99' })
  @ApiOkResponse({ standardSchema: statsSnapshotSchema })
  get(): StatsSnapshot {
    return this.stats.snapshot();
  }
}
