import { type CallHandler, type ExecutionContext, Injectable, type NestInterceptor } from '@nestjs/common';
import type { Request } from 'express';
import { from, mergeMap, type Observable, switchMap } from 'rxjs';
import { WorkerFleet } from './worker-fleet';

/**
 * With --workers, an admin API answer is given only once every live worker has applied every
 * change made so far: a read sees what the workers route by, and an answered mutation is in force
 * on every thread. The event stream (SSE) is left alone.
 */
@Injectable()
export class WorkersSettledInterceptor implements NestInterceptor {
  constructor(private readonly fleet: WorkerFleet) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    const path = context.switchToHttp().getRequest<Request>().path;
    if (!path.startsWith('/api/') || path === '/api/events') return next.handle();
    return from(this.fleet.settled()).pipe(
      switchMap(() => next.handle()),
      mergeMap(async (value: unknown) => {
        await this.fleet.settled();
        return value;
      }),
    );
  }
}
