import { Inject, Injectable } from '@nestjs/common';
import { Logger, PARAMS_PROVIDER_TOKEN, type Params, PinoLogger } from 'nestjs-pino';

/** Nest's own start-up chatter: every module initialised and every route mapped, one line each. */
const FRAMEWORK_WIRING: ReadonlySet<string> = new Set([
  'NestFactory',
  'InstanceLoader',
  'RoutesResolver',
  'RouterExplorer',
  'NestApplication',
]);

/**
 * The application logger (nestjs-pino), with Nest's wiring messages moved from info to debug: at
 * the default level the start-up log is what the balancer does (port, algorithm, backends), not
 * forty lines of modules and routes. `--log-level debug` shows them again.
 */
@Injectable()
export class BalancerLogger extends Logger {
  constructor(logger: PinoLogger, @Inject(PARAMS_PROVIDER_TOKEN) params: Params) {
    super(logger, params);
  }

  override log(message: unknown, ...optionalParams: unknown[]): void {
    const context = optionalParams[optionalParams.length - 1];
    if (typeof context === 'string' && FRAMEWORK_WIRING.has(context)) this.debug(message, ...optionalParams);
    else super.log(message, ...optionalParams);
  }
}
