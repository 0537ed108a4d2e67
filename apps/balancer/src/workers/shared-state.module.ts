import { type DynamicModule, Global, Module } from '@nestjs/common';
import { SHARED_SLOTS, type SharedSlots } from '@loadex/pool';

/** Makes this thread's view of the shared per-backend region injectable (the pool counts into it). */
@Global()
@Module({})
export class SharedStateModule {
  static forRoot(slots: SharedSlots): DynamicModule {
    return {
      module: SharedStateModule,
      providers: [{ provide: SHARED_SLOTS, useValue: slots }],
      exports: [SHARED_SLOTS],
    };
  }
}
