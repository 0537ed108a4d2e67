import { Controller, Req, Sse, UseGuards } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import type { Observable } from 'rxjs';
import { type AdminEvent, AdminEventStream } from './admin-event-stream';
import { AdminMutationGuard } from './admin-mutation.guard';

@ApiTags('events')
@Controller('api/events')
@UseGuards(AdminMutationGuard)
export class EventsController {
  constructor(private readonly stream: AdminEventStream) {}

  @Sse()
  @ApiOperation({
    summary:
      'Server-Sent Events: `history` (a StatsHistoryMessage: the last five minutes, a point a second) first, then `stats` (a StatsSnapshot) at once and every second, `pool` (a PoolChangeMessage) on every change',
  })
  @ApiProduces('text/event-stream')
  @ApiOkResponse({ description: 'an endless text/event-stream' })
  events(@Req() req: Request): Observable<AdminEvent> {
    return this.stream.events(req.res);
  }
}
