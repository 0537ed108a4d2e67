import { type MiddlewareConsumer, Module, type NestModule } from '@nestjs/common';
import { AdminBodyParserMiddleware } from '../admin/admin-body-parser.middleware';
import { adminHelmet } from '../admin/admin-helmet';
import { AdminSecurityModule } from '../admin/admin-security.module';
import { DashboardAssets } from './dashboard-assets';
import { DashboardController } from './dashboard.controller';
import { DashboardSettings } from './dashboard-settings';
import { LabModeGuard } from './lab/lab-mode.guard';
import { LabRelay } from './lab/lab-relay';
import { LabRelayController } from './lab/lab-relay.controller';

/**
 * The web dashboard at /dashboard (page, assets, settings) and its lab relay
 * (`/api/backends/control`, with --lab). Both get the admin API's helmet headers; the relay gets
 * its JSON body parser (16 KiB) too. The page sets its own, stricter Content-Security-Policy.
 */
@Module({
  imports: [AdminSecurityModule],
  controllers: [DashboardController, LabRelayController],
  providers: [DashboardAssets, DashboardSettings, LabRelay, LabModeGuard],
})
export class DashboardModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(adminHelmet()).forRoutes(DashboardController);
    consumer.apply(adminHelmet(), AdminBodyParserMiddleware).forRoutes(LabRelayController);
  }
}
