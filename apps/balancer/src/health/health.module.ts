import { Module } from '@nestjs/common';
import { HealthChecker } from './health-checker';

@Module({ providers: [HealthChecker], exports: [HealthChecker] })
export class HealthModule {}
