import { DynamicModule, Global, Module } from '@nestjs/common';
import { BALANCER_CONFIG, type BalancerConfig } from './balancer-config';

/** Makes the validated `BalancerConfig` injectable everywhere as `@Inject(BALANCER_CONFIG)`. */
@Global()
@Module({})
export class BalancerConfigModule {
  static forRoot(config: BalancerConfig): DynamicModule {
    return {
      module: BalancerConfigModule,
      providers: [{ provide: BALANCER_CONFIG, useValue: Object.freeze(config) }],
      exports: [BALANCER_CONFIG],
    };
  }
}
