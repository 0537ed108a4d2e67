import { Global, Module } from '@nestjs/common';
import { AdminModule } from '../admin/admin.module';
import { StartupPool } from './startup-pool';
import { StatePersister } from './state-persister';

/**
 * `--state-file`: what the pool starts with, and saving every runtime change. Global so the admin
 * services can await `StatePersister.flush()` before they answer (this module imports theirs).
 */
@Global()
@Module({
  imports: [AdminModule],
  providers: [StartupPool, StatePersister],
  exports: [StartupPool, StatePersister],
})
export class StateModule {}
