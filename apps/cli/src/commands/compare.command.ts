import { Command, CommandRunner, Option } from 'nest-commander';
import { CompareRunner } from '../compare/compare-runner';
import { SCENARIO_NAMES, type ScenarioName, SCENARIOS } from '../compare/compare-scenarios';
import { CliFailure } from '../errors/cli-failure';
import { CompareFormatter } from '../output/compare-formatter';
import { ConsoleOutput } from '../output/console-output';
import { CliSettings } from '../settings/cli-settings';
import {
  parseBaseUrl,
  parseDuration,
  parseNameList,
  parseOneOf,
  parsePositiveInteger,
} from '../settings/option-parsers';

interface CompareOptions {
  scenario: ScenarioName;
  algorithms?: string[];
  count?: number;
  concurrency: number;
  duration?: number;
  timeout?: number;
  proxyUrl?: string;
}

const DEFAULT_COUNT = 200;
const DEFAULT_TIMEOUT_MS = 30_000;

@Command({
  name: 'compare',
  description:
    'set a lab scenario up (the balancer needs --lab), send the same bounded traffic through each algorithm in turn, and compare latency, errors and the spread over the backends; everything is put back afterwards',
})
export class CompareCommand extends CommandRunner {
  constructor(
    private readonly runner: CompareRunner,
    private readonly output: ConsoleOutput,
    private readonly formatter: CompareFormatter,
    private readonly settings: CliSettings,
  ) {
    super();
  }

  async run(_params: string[], options: CompareOptions): Promise<void> {
    const report = await this.runner.run({
      scenario: SCENARIOS[options.scenario],
      algorithms: options.algorithms,
      target: new URL(`${options.proxyUrl ?? this.settings.baseUrl}/`),
      count: options.count ?? (options.duration === undefined ? DEFAULT_COUNT : null),
      durationMs: options.duration ?? null,
      concurrency: options.concurrency,
      timeoutMs: options.timeout ?? DEFAULT_TIMEOUT_MS,
    });
    this.output.result(report, () => this.formatter.render(report));
    if (report.interrupted) {
      throw new CliFailure(
        `interrupted: ${report.rows.length} of ${report.algorithms.length} algorithms compared; the backends and the algorithm are restored`,
      );
    }
    if (report.rows.every((row) => row.succeeded === 0)) {
      throw new CliFailure(`no request through ${report.target} succeeded (is --proxy-url right?)`);
    }
  }

  @Option({
    flags: '--scenario <name>',
    description:
      'skewed (one backend 10× slower), flaky (one fails 20 %), uneven (weights 5,1,1…), hot-key (80 % of requests share one key)',
    defaultValue: 'skewed',
  })
  parseScenario(value: string): ScenarioName {
    return parseOneOf(SCENARIO_NAMES, value);
  }

  @Option({
    flags: '--algorithms <list>',
    description: 'which algorithms, in this order, e.g. roundrobin,p2c,ewma (default: every one the balancer knows)',
  })
  parseAlgorithms(value: string): string[] {
    return parseNameList(value);
  }

  @Option({ flags: '-c, --count <n>', description: `requests per algorithm (default ${DEFAULT_COUNT})` })
  parseCount(value: string): number {
    return parsePositiveInteger(value);
  }

  @Option({ flags: '--concurrency <k>', description: 'requests in flight at once', defaultValue: 10 })
  parseConcurrency(value: string): number {
    return parsePositiveInteger(value);
  }

  @Option({
    flags: '--duration <time>',
    description: 'send for this long per algorithm instead (10s); with --count, whichever ends first',
  })
  parseDuration(value: string): number {
    return parseDuration(value);
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
