import { spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { z } from 'zod';
import { waitFor } from '../../support/http';
import { freePort } from '../../support/free-port';
import { startProcess } from '../../support/processes';
import { parseSampleValue } from './exposition';

/** Debian's `prometheus` package (installed by .ci/run) provides both. */
export const PROMETHEUS_BIN = process.env.PROMETHEUS_BIN ?? 'prometheus';
export const PROMTOOL_BIN = process.env.PROMTOOL_BIN ?? 'promtool';

const vectorResponse = z.object({
  status: z.literal('success'),
  data: z.object({
    resultType: z.string(),
    result: z.array(z.object({ metric: z.record(z.string(), z.string()), value: z.tuple([z.number(), z.string()]) })),
  }),
});

export interface VectorSample {
  labels: Record<string, string>;
  value: number;
}

export interface PrometheusServer {
  url: string;
  /** An instant query through the HTTP API; rejects on a PromQL error or a non-vector result. */
  query(expr: string, time?: number): Promise<VectorSample[]>;
  output(): string;
  stop(): Promise<void>;
}

/** `promtool <args>` with `input` on stdin: its exit status and everything it printed. */
export function promtool(args: string[], input?: string): { status: number | null; output: string } {
  const result = spawnSync(PROMTOOL_BIN, args, { input, encoding: 'utf8', timeout: 30_000 });
  if (result.error) throw result.error;
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

/**
 * A real Prometheus on a loopback port with a temporary TSDB, scraping `targets` (host:port of
 * balancers) as job "loadex" every `scrapeInterval`. Resolves once it is ready to answer queries.
 */
export async function startPrometheus(targets: string[], scrapeInterval = '1s'): Promise<PrometheusServer> {
  const dir = await mkdtemp(join(tmpdir(), 'loadex-prometheus-'));
  const configFile = join(dir, 'prometheus.yml');
  await writeFile(
    configFile,
    stringify({
      global: { scrape_interval: scrapeInterval, evaluation_interval: scrapeInterval },
      scrape_configs: [{ job_name: 'loadex', metrics_path: '/metrics', static_configs: [{ targets }] }],
    }),
  );

  // The port is chosen free just before Prometheus binds it; on the rare lost race, try again.
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    const prometheus = startProcess(PROMETHEUS_BIN, [
      `--config.file=${configFile}`,
      `--storage.tsdb.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
    ]);
    const url = `http://127.0.0.1:${port}`;
    const { child, output } = prometheus;
    const exited = () => child.exitCode !== null || child.signalCode !== null;
    const kill = async () => {
      await prometheus.stop('SIGKILL');
    };
    const stop = async () => {
      await kill();
      await rm(dir, { recursive: true, force: true });
    };
    try {
      await waitFor(
        async () => {
          if (exited()) throw new Error(`prometheus exited (${child.exitCode ?? child.signalCode}):\n${output()}`);
          const ready = await fetch(`${url}/-/ready`).catch(() => undefined);
          return ready?.status === 200;
        },
        30_000,
        100,
      );
    } catch (err) {
      await kill();
      if (/address already in use/.test(output()) && attempt < 3) {
        await rm(join(dir, 'data'), { recursive: true, force: true });
        continue;
      }
      await stop();
      throw err;
    }
    return {
      url,
      output,
      stop,
      async query(expr: string, time?: number) {
        const params = new URLSearchParams({ query: expr });
        if (time !== undefined) params.set('time', String(time));
        const res = await fetch(`${url}/api/v1/query?${params}`);
        const body: unknown = await res.json();
        if (res.status !== 200) throw new Error(`query ${expr} failed (${res.status}): ${JSON.stringify(body)}`);
        const parsed = vectorResponse.parse(body);
        if (parsed.data.resultType !== 'vector')
          throw new Error(`query ${expr}: ${parsed.data.resultType}, not vector`);
        return parsed.data.result.map((r) => ({ labels: r.metric, value: parseSampleValue(r.value[1]) }));
      },
    };
  }
}
