import { DynamicModule, Module } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import { LoggerModule } from 'nestjs-pino';
import { AlgorithmModule } from '@loadex/algorithms';
import { PoolModule } from '@loadex/pool';
import { AdminModule } from './admin/admin.module';
import { BalancerLogger } from './balancer-logger';
import { BALANCER_CONFIG, type BalancerConfig } from './config/balancer-config';
import { BalancerConfigModule } from './config/config.module';
import { DashboardModule } from './dashboard/dashboard.module';
import { HealthModule } from './health/health.module';
import { ClientLimits } from './lifecycle/client-limits';
import { GracefulShutdown } from './lifecycle/graceful-shutdown';
import { PoolEventLogger } from './lifecycle/pool-event-logger';
import { PoolSeeder } from './lifecycle/pool-seeder';
import { loggerOptions } from './logger-options';
import { MetricsModule } from './metrics/metrics.module';
import { ProxyModule } from './proxy/proxy.module';
import { StateModule } from './state/state.module';
import { StoreModule } from './store/store.module';
import { TrafficModule } from './traffic/traffic.module';
import { WorkersModule } from './workers/workers.module';

/** The balancer: pool, algorithm, proxy path, health checks, wired by DI from one validated config. */
@Module({})
export class BalancerModule {
  static forRoot(config: BalancerConfig): DynamicModule {
    return {
      module: BalancerModule,
      imports: [
        BalancerConfigModule.forRoot(config),
        LoggerModule.forRoot(loggerOptions(config.logLevel)),
        ScheduleModule.forRoot(),
        PoolModule,
        AlgorithmModule.forRootAsync({
          inject: [BALANCER_CONFIG],
          useFactory: (c: BalancerConfig) => ({ name: c.algorithm, defaults: c.algorithmDefaults }),
        }),
        TrafficModule,
        MetricsModule,
        ProxyModule.forEngine(config.engine),
        HealthModule,
        AdminModule,
        StateModule,
        StoreModule.forRoot(config),
        DashboardModule,
        // --workers N > 1: the proxy runs on N worker threads; this thread is the control plane.
        ...(config.workers > 1 ? [WorkersModule.forRoot(config.workers)] : []),
      ],
      providers: [BalancerLogger, PoolEventLogger, PoolSeeder, GracefulShutdown, ClientLimits],
    };
  }
}
