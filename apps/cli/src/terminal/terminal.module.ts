import { Module } from '@nestjs/common';
import { InterruptListener } from './interrupt-listener';
import { LiveScreen } from './live-screen';

/** Terminal control for the long-running commands: Ctrl-C handling and the live screen. */
@Module({ providers: [InterruptListener, LiveScreen], exports: [InterruptListener, LiveScreen] })
export class TerminalModule {}
