import { Module } from '@nestjs/common';
import { AdminApiModule } from '../api/admin-api.module';
import { OutputModule } from '../output/output.module';
import { SettingsModule } from '../settings/settings.module';
import { TerminalModule } from '../terminal/terminal.module';
import { WatchFrameRenderer } from './watch-frame-renderer';
import { WatchSession } from './watch-session';

/** `watch`: the event stream followed into a live screen, lines or JSON lines. */
@Module({
  imports: [AdminApiModule, OutputModule, SettingsModule, TerminalModule],
  providers: [WatchFrameRenderer, WatchSession],
  exports: [WatchSession],
})
export class WatchModule {}
