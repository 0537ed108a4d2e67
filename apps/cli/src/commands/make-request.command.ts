import { Command, CommandRunner, Option } from 'nest-commander';
import { CliFailure, UsageError } from '../errors/cli-failure';
import type { LoadPlan } from '../load/load-plan';
import { LoadTestRunner } from '../load/load-test-runner';
import { ConsoleOutput } from '../output/console-output';
import { LoadReportFormatter } from '../output/load-report-formatter';
import { CliSettings } from '../settings/cli-settings';
import {
  parseBaseUrl,
  parseDuration,
  parseHttpMethod,
  parsePositiveInteger,
  parseUrlPath,
} from '../settings/option-parsers';

interface MakeRequestOptions {
  count?: number;
  /** The original's `--c N`. */
  c?: number;
  concurrency: number;
  path: string;
  method: string;
  duration?: number;
  timeout?: number;
  proxyUrl?: string;
}

const DEFAULT_COUNT = 100;
const DEFAULT_TIMEOUT_MS = 30_000;

@Command({
  name: 'make-request',
  description:
    'send requests through the balancer (bounded by --count or --duration; Ctrl-C stops early) and show the latency and the distribution per backend',
})
export class MakeRequestCommand extends CommandRunner {
  constructor(
    private readonly runner: LoadTestRunner,
    private readonly output: ConsoleOutput,
    private readonly formatter: LoadReportFormatter,
    private readonly settings: CliSettings,
  ) {
    super();
  }

  async run(_params: string[], options: MakeRequestOptions): Promise<void> {
    const report = await this.runner.run(this.planFrom(options));
    this.output.result(report, () => this.formatter.render(report));
    if (report.failed > 0) throw new CliFailure(`${report.failed} of ${report.sent} requests failed`);
  }

  private planFrom(options: MakeRequestOptions): LoadPlan {
    if (options.count !== undefined && options.c !== undefined && options.count !== options.c) {
      throw new UsageError('give the count once: -c/--count or --c');
    }
    const count = options.count ?? options.c ?? (options.duration === undefined ? DEFAULT_COUNT : null);
    return {
      target: new URL(`${options.proxyUrl ?? this.settings.baseUrl}${options.path}`),
      method: options.method,
      count,
      durationMs: options.duration ?? null,
      concurrency: options.concurrency,
      timeoutMs: options.timeout ?? DEFAULT_TIMEOUT_MS,
    };
  }

  @Option({ flags: '-c, --count <n>', description: `how many requests to send (default ${DEFAULT_COUNT})` })
  parseCount(value: string): number {
    return parsePositiveInteger(value);
  }

  @Option({ flags: '--c <n>', description: "same as --count (the original Go Loadex's spelling)" })
  parseShortCount(value: string): number {
    return parsePositiveInteger(value);
  }

  @Option({ flags: '--concurrency <k>', description: 'requests in flight at once', defaultValue: 10 })
  parseConcurrency(value: string): number {
    return parsePositiveInteger(value);
  }

  @Option({
    flags: '--duration <time>',
    description: 'send for this long instead (30s, 2m); with --count, whichever ends first',
  })
  parseDuration(value: string): number {
    return parseDuration(value);
  }

  @Option({ flags: '--path <path>', description: 'request path and query', defaultValue: '/' })
  parsePath(value: string): string {
    return parseUrlPath(value);
  }

  @Option({ flags: '--method <method>', description: 'HTTP method', defaultValue: 'GET' })
  parseMethod(value: string): string {
    return parseHttpMethod(value);
  }

  @Option({ flags: '--timeout <time>', description: 'per-request timeout (default 30s)' })
  parseTimeout(value: string): number {
    return parseDuration(value);
  }

  @Option({
    flags: '--proxy-url <url>',
    description: 'where to send the traffic when the admin API has its own port (default: --url)',
  })
  parseProxyUrl(value: string): string {
    return parseBaseUrl(value);
  }
}
