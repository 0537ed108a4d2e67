import { Module } from '@nestjs/common';
import { AdminModule } from '../admin/admin.module';
import { StartupPool } from './startup-pool';
import { StatePersister } from './state-persister';

/** `--state-file`: what the pool starts with, and saving every runtime change. */
@Module({
  imports: [AdminModule],
  providers: [StartupPool, StatePersister],
  exports: [StartupPool],
})
export class StateModule {}
