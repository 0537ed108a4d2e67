import { Global, Module } from '@nestjs/common';
import { PoolChangesModule } from '../pool-changes/pool-changes.module';
import { StartupPool } from './startup-pool';
import { StatePersister } from './state-persister';

/**
 * `--state-file`: what the pool starts with, and saving every runtime change. Global so the control
 * plane can await `StatePersister.flush()` before a change is answered.
 */
@Global()
@Module({
  imports: [PoolChangesModule],
  providers: [StartupPool, StatePersister],
  exports: [StartupPool, StatePersister],
})
export class StateModule {}
