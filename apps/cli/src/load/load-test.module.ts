import { Module } from '@nestjs/common';
import { AdminApiModule } from '../api/admin-api.module';
import { SettingsModule } from '../settings/settings.module';
import { TerminalModule } from '../terminal/terminal.module';
import { LoadGenerator } from './load-generator';
import { LoadProgress } from './load-progress';
import { LoadTestRunner } from './load-test-runner';

/** `make-request`'s engine: bounded load, progress bar, and the balancer's counters around it. */
@Module({
  imports: [AdminApiModule, SettingsModule, TerminalModule],
  providers: [LoadGenerator, LoadProgress, LoadTestRunner],
  exports: [LoadTestRunner],
})
export class LoadTestModule {}
