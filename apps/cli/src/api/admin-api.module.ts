import { Module } from '@nestjs/common';
import { SettingsModule } from '../settings/settings.module';
import { AdminApiClient } from './admin-api-client';
import { AdminEventStream } from './admin-event-stream';
import { AdminHttp } from './admin-http';

/** Everything that talks to the balancer: its REST routes and its event stream. */
@Module({
  imports: [SettingsModule],
  providers: [AdminHttp, AdminApiClient, AdminEventStream],
  exports: [AdminApiClient, AdminEventStream],
})
export class AdminApiModule {}
