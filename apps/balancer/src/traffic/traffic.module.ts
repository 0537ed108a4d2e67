import { Global, Module } from '@nestjs/common';
import { TrafficObserver } from './traffic-observer';

@Global()
@Module({ providers: [TrafficObserver], exports: [TrafficObserver] })
export class TrafficModule {}
