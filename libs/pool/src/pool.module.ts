import { Global, Module } from '@nestjs/common';
import { ServerPool } from './server-pool';

@Global()
@Module({
  providers: [ServerPool],
  exports: [ServerPool],
})
export class PoolModule {}
