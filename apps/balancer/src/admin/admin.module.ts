import { MiddlewareConsumer, Module, NestModule } from '@nestjs/common';
import { PoolChangesModule } from '../pool-changes/pool-changes.module';
import { StatsModule } from '../stats/stats.module';
import { AdminBodyParserMiddleware } from './admin-body-parser.middleware';
import { adminHelmet } from './admin-helmet';
import { AdminEventStream } from './admin-event-stream';
import { AdminMutationGuard } from './admin-mutation.guard';
import { AlgorithmController } from './algorithm.controller';
import { AlgorithmService } from './algorithm.service';
import { BackendsController } from './backends.controller';
import { BackendsService } from './backends.service';
import { EventsController } from './events.controller';
import { SeedRoutesController } from './seed-routes.controller';
import { StatsController } from './stats.controller';

const ADMIN_CONTROLLERS = [
  SeedRoutesController,
  BackendsController,
  AlgorithmController,
  StatsController,
  EventsController,
];

/**
 * The admin REST API: seed routes, backends, algorithm, stats, SSE events. Helmet headers and a
 * 16 KiB JSON body parser on its routes only; every route behind `AdminMutationGuard`.
 */
@Module({
  imports: [StatsModule, PoolChangesModule],
  controllers: ADMIN_CONTROLLERS,
  providers: [AdminMutationGuard, AlgorithmService, BackendsService, AdminEventStream],
  exports: [AdminMutationGuard, AlgorithmService, StatsModule],
})
export class AdminModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(adminHelmet(), AdminBodyParserMiddleware).forRoutes(...ADMIN_CONTROLLERS);
  }
}
