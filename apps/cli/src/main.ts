import { CommandFactory } from 'nest-commander';
import { version } from '../../../package.json';
import { CliModule } from './cli.module';
import { exitQuietlyWhenOutputCloses } from './errors/closed-output';
import { reportFailure } from './errors/report-failure';

/** `loadex`: parse the command line, run one command, exit 0 / 1 (failure) / 2 (usage). */
async function bootstrap(): Promise<void> {
  await CommandFactory.run(CliModule, {
    logger: false,
    cliName: 'loadex',
    version,
    serviceErrorHandler: reportFailure,
    outputConfiguration: {
      // commander's `error: unknown option '--x'` becomes `loadex: unknown option '--x'`
      outputError: (message, write) => write(message.replace(/^error: /, 'loadex: ')),
    },
  });
}

exitQuietlyWhenOutputCloses();
bootstrap().catch(reportFailure);
