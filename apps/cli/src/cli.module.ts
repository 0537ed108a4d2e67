import { Module } from '@nestjs/common';
import { AdminApiModule } from './api/admin-api.module';
import { CompareModule } from './compare/compare.module';
import { AddServerCommand } from './commands/add-server.command';
import { AlgoCommand } from './commands/algo.command';
import { CompareCommand } from './commands/compare.command';
import { DrainCommand } from './commands/drain.command';
import { HealthCommand } from './commands/health.command';
import { InfoCommand } from './commands/info.command';
import { MakeRequestCommand } from './commands/make-request.command';
import { RemoveServerCommand } from './commands/remove-server.command';
import { LoadexRootCommand } from './commands/root.command';
import { StatsCommand } from './commands/stats.command';
import { UndrainCommand } from './commands/undrain.command';
import { WatchCommand } from './commands/watch.command';
import { WeightCommand } from './commands/weight.command';
import { LoadTestModule } from './load/load-test.module';
import { OutputModule } from './output/output.module';
import { CommanderProgramSetup } from './commander-program-setup';
import { SettingsModule } from './settings/settings.module';
import { WatchModule } from './watch/watch.module';

/** The `loadex` CLI: thin command classes over the admin API client, the formatters and the engines. */
@Module({
  imports: [SettingsModule, AdminApiModule, OutputModule, LoadTestModule, WatchModule, CompareModule],
  providers: [
    LoadexRootCommand,
    HealthCommand,
    MakeRequestCommand,
    AddServerCommand,
    RemoveServerCommand,
    DrainCommand,
    UndrainCommand,
    WeightCommand,
    AlgoCommand,
    InfoCommand,
    StatsCommand,
    WatchCommand,
    CompareCommand,
    CommanderProgramSetup,
  ],
})
export class CliModule {}
