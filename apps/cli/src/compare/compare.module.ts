import { Module } from '@nestjs/common';
import { AdminApiModule } from '../api/admin-api.module';
import { LoadTestModule } from '../load/load-test.module';
import { SettingsModule } from '../settings/settings.module';
import { TerminalModule } from '../terminal/terminal.module';
import { CompareRunner } from './compare-runner';
import { LabScenarioStage } from './lab-scenario-stage';

/** `compare`: a lab scenario, the same bounded load once per algorithm, and everything put back. */
@Module({
  imports: [AdminApiModule, LoadTestModule, SettingsModule, TerminalModule],
  providers: [LabScenarioStage, CompareRunner],
  exports: [CompareRunner],
})
export class CompareModule {}
