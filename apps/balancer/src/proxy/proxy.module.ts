import { type DynamicModule, Module } from '@nestjs/common';
import type { ForwardingEngine } from '../config/balancer-config';
import { AccessLog } from './access-log';
import { RetryBudget } from './retry-budget';
import { ReverseProxy } from './reverse-proxy';
import { StickySessions } from './sticky-sessions';
import { TransportModule } from './transport/transport.module';

/** The data path: `ReverseProxy` on the `UpstreamTransport` that `--engine` names. */
@Module({})
export class ProxyModule {
  static forEngine(engine: ForwardingEngine): DynamicModule {
    return {
      module: ProxyModule,
      imports: [TransportModule.forEngine(engine)],
      providers: [ReverseProxy, RetryBudget, StickySessions, AccessLog],
      exports: [ReverseProxy],
    };
  }
}
