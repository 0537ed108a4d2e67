import { DynamicModule, InjectionToken, Module } from '@nestjs/common';
import type { AlgorithmName } from './algorithm';
import { ActiveAlgorithm } from './active-algorithm';
import { createAlgorithm } from './create-algorithm';

export const INITIAL_ALGORITHM = Symbol('INITIAL_ALGORITHM');

/** Provides `ActiveAlgorithm`, built by a factory from the configured algorithm name. */
@Module({})
export class AlgorithmModule {
  static forRootAsync(options: {
    imports?: DynamicModule['imports'];
    inject: InjectionToken[];
    useFactory: (...deps: never[]) => AlgorithmName;
  }): DynamicModule {
    return {
      module: AlgorithmModule,
      global: true,
      imports: options.imports ?? [],
      providers: [
        { provide: INITIAL_ALGORITHM, inject: options.inject, useFactory: options.useFactory },
        {
          provide: ActiveAlgorithm,
          inject: [INITIAL_ALGORITHM],
          useFactory: (name: AlgorithmName) => new ActiveAlgorithm(createAlgorithm(name)),
        },
      ],
      exports: [ActiveAlgorithm],
    };
  }
}
