import { Module } from '@nestjs/common';
import { PoolChanges } from './pool-changes';

/** `PoolChanges`: the stream of pool and algorithm changes that the admin API and the state file follow. */
@Module({ providers: [PoolChanges], exports: [PoolChanges] })
export class PoolChangesModule {}
