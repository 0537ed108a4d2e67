import { Module } from '@nestjs/common';
import { SettingsModule } from '../settings/settings.module';
import { CompareFormatter } from './compare-formatter';
import { ConsoleOutput } from './console-output';
import { InstancesFormatter } from './instances-formatter';
import { LoadReportFormatter } from './load-report-formatter';
import { Palette } from './palette';
import { PoolFormatter } from './pool-formatter';
import { TableRenderer } from './table-renderer';

/** How results are printed: JSON or human tables, in colour only where it belongs. */
@Module({
  imports: [SettingsModule],
  providers: [
    ConsoleOutput,
    Palette,
    TableRenderer,
    PoolFormatter,
    LoadReportFormatter,
    InstancesFormatter,
    CompareFormatter,
  ],
  exports: [ConsoleOutput, Palette, PoolFormatter, LoadReportFormatter, InstancesFormatter, CompareFormatter],
})
export class OutputModule {}
