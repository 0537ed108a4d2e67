import { type DynamicModule, Module } from '@nestjs/common';
import { getToken } from '@willsoto/nestjs-prometheus';
import { LoggerModule } from 'nestjs-pino';
import { AlgorithmModule } from '@loadex/algorithms';
import { PoolModule, type SharedSlots } from '@loadex/pool';
import { BalancerLogger } from '../balancer-logger';
import { BALANCER_CONFIG, type BalancerConfig } from '../config/balancer-config';
import { BalancerConfigModule } from '../config/config.module';
import { ClientLimits } from '../lifecycle/client-limits';
import { GracefulShutdown } from '../lifecycle/graceful-shutdown';
import { loggerOptions } from '../logger-options';
import { METRIC } from '../metrics/metric-definitions';
import { ProxyModule } from '../proxy/proxy.module';
import { TrafficModule } from '../traffic/traffic.module';
import { ClientLimitCounter } from './client-limit-counter';
import { SharedStateModule } from './shared-state.module';
import { TrafficRing } from './traffic-ring';
import { WorkerChannel } from './worker-channel';
import { WORKER_START, type WorkerStart } from './worker-protocol';
import { WorkerReplica } from './worker-replica';
import { WorkerTick } from './worker-tick';
import { WorkerTrafficWriter } from './worker-traffic-writer';

/**
 * One worker thread's data plane: the pool replica over the shared slots, the algorithm with
 * shared rotation state, the proxy and its transport, the traffic writer into the ring. No admin
 * API, no health checks, no state file, no metrics registry: those are the main thread's.
 */
@Module({})
export class DataPlaneModule {
  static forRoot(
    config: BalancerConfig,
    start: WorkerStart,
    slots: SharedSlots,
    ring: TrafficRing,
    channel: WorkerChannel,
  ): DynamicModule {
    return {
      module: DataPlaneModule,
      imports: [
        BalancerConfigModule.forRoot(config),
        LoggerModule.forRoot(loggerOptions(config.logLevel)),
        SharedStateModule.forRoot(slots),
        PoolModule,
        AlgorithmModule.forRootAsync({
          inject: [BALANCER_CONFIG],
          useFactory: (c: BalancerConfig) => ({ name: c.algorithm, defaults: c.algorithmDefaults, shared: slots }),
        }),
        TrafficModule,
        ProxyModule.forEngine(config.engine),
      ],
      providers: [
        BalancerLogger,
        GracefulShutdown,
        ClientLimits,
        WorkerReplica,
        WorkerTrafficWriter,
        WorkerTick,
        { provide: TrafficRing, useValue: ring },
        { provide: WORKER_START, useValue: start },
        { provide: WorkerChannel, useValue: channel },
        {
          provide: getToken(METRIC.clientTimeouts),
          inject: [WorkerChannel],
          useFactory: (c: WorkerChannel) => new ClientLimitCounter(c, null),
        },
        {
          provide: getToken(METRIC.clientConnectionsRejected),
          inject: [WorkerChannel],
          useFactory: (c: WorkerChannel) => new ClientLimitCounter(c, 'rejected'),
        },
      ],
    };
  }
}
