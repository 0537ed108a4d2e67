import { Module } from '@nestjs/common';
import { SettingsModule } from '../settings/settings.module';
import { AdminApiClient } from './admin-api-client';
import { AdminEventsClient } from './admin-events-client';
import { AdminHttp } from './admin-http';

/** Everything that talks to the balancer: its REST routes and its event stream. */
@Module({
  imports: [SettingsModule],
  providers: [AdminHttp, AdminApiClient, AdminEventsClient],
  exports: [AdminApiClient, AdminEventsClient],
})
export class AdminApiModule {}
