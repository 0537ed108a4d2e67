import { Module } from '@nestjs/common';
import { CliSettings } from './cli-settings';

/** The run's global options, shared by every other module. */
@Module({ providers: [CliSettings], exports: [CliSettings] })
export class SettingsModule {}
