import { type DynamicModule, Module, type Provider } from '@nestjs/common';
import type { ForwardingEngine } from '../../config/balancer-config';
import { Forwarders } from './hpm/hpm-forwarders';
import { HpmTransport } from './hpm/hpm-transport';
import { HpmWebSockets } from './hpm/hpm-websockets';
import { UpstreamAgents } from './hpm/upstream-agents';
import { UndiciPools } from './undici/undici-pools';
import { UndiciTransport } from './undici/undici-transport';
import { UpstreamDeadlines } from './upstream-deadlines';
import { UpstreamTransport } from './upstream-transport';

/**
 * Provides `UpstreamTransport`: the engine `--engine` names. WebSocket upgrades go through
 * http-proxy-middleware with either engine, so its per-backend instances are always there.
 */
@Module({})
export class TransportModule {
  static forEngine(engine: ForwardingEngine): DynamicModule {
    const engineProviders: Provider[] =
      engine === 'undici'
        ? [UndiciPools, UndiciTransport, { provide: UpstreamTransport, useExisting: UndiciTransport }]
        : [HpmTransport, { provide: UpstreamTransport, useExisting: HpmTransport }];
    return {
      module: TransportModule,
      providers: [UpstreamDeadlines, UpstreamAgents, Forwarders, HpmWebSockets, ...engineProviders],
      exports: [UpstreamTransport],
    };
  }
}
