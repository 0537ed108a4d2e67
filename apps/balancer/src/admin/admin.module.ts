import { MiddlewareConsumer, Module, NestModule } from '@nestjs/common';
import { PoolChangesModule } from '../pool-changes/pool-changes.module';
import { StatsModule } from '../stats/stats.module';
import { AdminBodyParserMiddleware } from './admin-body-parser.middleware';
import { adminHelmet } from './admin-helmet';
import { AdminEventStream } from './admin-event-stream';
import { AdminSecurityModule } from './admin-security.module';
import { AlgorithmController } from './algorithm.controller';
import { AlgorithmService } from './algorithm.service';
import { BackendsController } from './backends.controller';
import { BackendsService } from './backends.service';
import { EventsController } from './events.controller';
import { OriginalRoutesController } from './original-routes.controller';
import { StatsController } from './stats.controller';

const ADMIN_CONTROLLERS = [
  OriginalRoutesController,
  BackendsController,
  AlgorithmController,
  StatsController,
  EventsController,
];

/**
 * The admin REST API: the original's routes, backends, algorithm, stats, SSE events. Helmet headers and a
 * 16 KiB JSON body parser on its routes only; every route behind `AdminMutationGuard` (and, like
 * every admin request, behind `AdminRequestGate`: see AdminSecurityModule).
 */
@Module({
  imports: [StatsModule, PoolChangesModule, AdminSecurityModule],
  controllers: ADMIN_CONTROLLERS,
  providers: [AlgorithmService, BackendsService, AdminEventStream],
  exports: [AdminSecurityModule, AlgorithmService, StatsModule],
})
export class AdminModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(adminHelmet(), AdminBodyParserMiddleware).forRoutes(...ADMIN_CONTROLLERS);
  }
}
