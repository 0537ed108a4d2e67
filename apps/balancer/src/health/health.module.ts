import { Module } from '@nestjs/common';
import { HealthChecker } from './health-checker';
import { PoolMaintenance } from './pool-maintenance';

@Module({ providers: [HealthChecker, PoolMaintenance], exports: [HealthChecker] })
export class HealthModule {}
