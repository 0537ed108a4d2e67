import { type DynamicModule, Module } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { SharedSlots } from '@loadex/pool';
import { MetricsModule } from '../metrics/metrics.module';
import { SharedStateModule } from './shared-state.module';
import { WorkerFleet } from './worker-fleet';
import { WorkersSettledInterceptor } from './workers-settled.interceptor';

/** Backend slots in the shared region: twice the pool's limit, so a left slot is rarely reused. */
export const SLOT_CAPACITY = 2048;

/** The main thread's side of --workers N (N > 1): the shared region, the fleet, answers after acks. */
@Module({})
export class WorkersModule {
  static forRoot(workers: number): DynamicModule {
    return {
      module: WorkersModule,
      imports: [MetricsModule, SharedStateModule.forRoot(SharedSlots.allocate(SLOT_CAPACITY, workers))],
      providers: [WorkerFleet, { provide: APP_INTERCEPTOR, useClass: WorkersSettledInterceptor }],
      exports: [WorkerFleet],
    };
  }
}
