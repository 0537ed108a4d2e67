import { type DynamicModule, type MiddlewareConsumer, Module, type NestModule, type Provider } from '@nestjs/common';
import { adminHelmet } from '../admin/admin-helmet';
import { AdminModule } from '../admin/admin.module';
import type { BalancerConfig } from '../config/balancer-config';
import { PoolChangesModule } from '../pool-changes/pool-changes.module';
import { StatsModule } from '../stats/stats.module';
import { ControlPlane } from './control-plane';
import { ControlStateApplier } from './control-state-applier';
import { ControlStore } from './control-store';
import { InstanceDirectory } from './instance-directory';
import { InstanceHeartbeat } from './instance-heartbeat';
import { InstanceRegistry, LocalInstanceRegistry, StoreInstanceRegistry } from './instance-registry';
import { InstancesController } from './instances.controller';
import { LocalControlPlane } from './local-control-plane';
import { RedisControlPlane } from './redis-control-plane';
import { SelfView } from './self-view';
import { StoreConnection } from './store-connection';
import { storeMetricProviders } from './store-metrics';
import { StoreSync } from './store-sync';

/**
 * Where the control state lives. Without `--store`: in this process (`LocalControlPlane`), exactly
 * as before. With `--store redis://…`: in Redis, shared by every replica (`RedisControlPlane`,
 * kept in step by `StoreSync`), each replica's view published by `InstanceHeartbeat`.
 * Global, so the admin services get `ControlPlane` without importing this module.
 */
@Module({})
export class StoreModule implements NestModule {
  static forRoot(config: BalancerConfig): DynamicModule {
    const providers: Provider[] = config.store
      ? [
          StoreConnection,
          ControlStore,
          StoreSync,
          InstanceDirectory,
          InstanceHeartbeat,
          { provide: ControlPlane, useClass: RedisControlPlane },
          { provide: InstanceRegistry, useClass: StoreInstanceRegistry },
          ...storeMetricProviders,
        ]
      : [
          { provide: ControlPlane, useClass: LocalControlPlane },
          { provide: InstanceRegistry, useClass: LocalInstanceRegistry },
        ];
    return {
      module: StoreModule,
      global: true,
      imports: [AdminModule, PoolChangesModule, StatsModule],
      controllers: [InstancesController],
      providers: [ControlStateApplier, SelfView, ...providers],
      exports: [ControlPlane],
    };
  }

  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(adminHelmet()).forRoutes(InstancesController);
  }
}
