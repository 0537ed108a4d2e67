import { Module } from '@nestjs/common';
import { BackendControl } from './backend-control';
import { BackendController } from './backend.controller';
import { BackendPort } from './backend-port';

@Module({
  controllers: [BackendController],
  providers: [BackendControl, BackendPort],
})
export class BackendModule {}
