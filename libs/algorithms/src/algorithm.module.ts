import { DynamicModule, InjectionToken, Module } from '@nestjs/common';
import { ActiveAlgorithm, type AlgorithmChoice } from './active-algorithm';

export const INITIAL_ALGORITHM = Symbol('INITIAL_ALGORITHM');

/** Provides `ActiveAlgorithm`, built by a factory from the configured algorithm and its options. */
@Module({})
export class AlgorithmModule {
  static forRootAsync(options: {
    imports?: DynamicModule['imports'];
    inject: InjectionToken[];
    /** The configured algorithm: a name (or alias), or a name with options. */
    useFactory: (...deps: never[]) => AlgorithmChoice | string;
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
          useFactory: (choice: AlgorithmChoice | string) =>
            new ActiveAlgorithm(typeof choice === 'string' ? { name: choice } : choice),
        },
      ],
      exports: [ActiveAlgorithm],
    };
  }
}
