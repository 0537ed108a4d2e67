import { Command, CommandRunner } from 'nest-commander';
import { WatchSession } from '../watch/watch-session';

@Command({
  name: 'watch',
  description: 'a live table of the pool and its traffic from /api/events, until Ctrl-C or q',
})
export class WatchCommand extends CommandRunner {
  constructor(private readonly session: WatchSession) {
    super();
  }

  async run(): Promise<void> {
    await this.session.run();
  }
}
