import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { httpRequest, isFailure, sendMany, waitFor } from '../support/http';
import { type Balancer, type DemoBackend, ROOT, startBackends, startBalancer, stopAll } from '../support/processes';
import { scrape, total } from './support/exposition';
import { type PrometheusServer, startPrometheus, type VectorSample } from './support/prometheus-server';

/**
 * A real Prometheus scrapes a live balancer (every second) while traffic flows, a backend is
 * killed and another answers 500; then every query of the Grafana dashboard is evaluated through
 * Prometheus' HTTP API and must return data, and Prometheus' per-backend counts must equal what
 * the backends counted themselves.
 */
interface DashboardTarget {
  expr: string;
  refId: string;
}
interface DashboardPanel {
  title: string;
  type: string;
  targets?: DashboardTarget[];
}

const dashboard = JSON.parse(readFileSync(resolve(ROOT, 'observability/grafana-dashboard.json'), 'utf8')) as {
  panels: DashboardPanel[];
};

/**
 * Grafana's built-in variables, as Grafana would expand them for a dashboard spanning this test,
 * and the dashboard's own `$instance` at "All" (its allValue).
 */
function expand(expr: string): string {
  return expr
    .replaceAll('$__rate_interval', '1m')
    .replaceAll('$__range', '15m')
    .replaceAll('$__interval', '15s')
    .replaceAll('$instance', '.+');
}

const BATCH = 60;

afterAll(stopAll);

describe('a real Prometheus scraping a live balancer, queried with the dashboard', () => {
  let backends: DemoBackend[];
  let balancer: Balancer;
  let prometheus: PrometheusServer | undefined;
  let sent = 0;
  const statuses = new Map<number, number>();
  let servedByKilled = 0;

  /** Prometheus' view of the total requests equals what was sent: this batch is in the TSDB. */
  async function ingested(): Promise<void> {
    await waitFor(
      async () => {
        const result = await prometheus!.query('sum(golb_requests_total{job="loadex"})');
        return result.length === 1 && result[0].value === sent;
      },
      30_000,
      200,
    );
  }

  async function batch(): Promise<void> {
    const results = await sendMany(BATCH, 3, () => httpRequest(`${balancer.url}/`));
    for (const r of results) {
      if (isFailure(r)) throw r;
      statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1);
    }
    sent += BATCH;
    await ingested();
  }

  afterAll(async () => {
    await prometheus?.stop();
  });

  beforeAll(async () => {
    backends = await startBackends(3);
    // Checks every 250 ms, but 100 failures before a check takes a backend down: the killed
    // backend is taken down by the first refused request (and that request retried), while its
    // failing health checks are counted all along.
    balancer = await startBalancer([
      '--backends',
      backends.map((b) => b.url).join(','),
      '--health-interval',
      '250ms',
      '--health-fall',
      '100',
      // The flaky backend must keep answering 5xx for the error-rate panel: no outlier ejection.
      '--outlier-5xx',
      '0',
    ]);
    prometheus = await startPrometheus([new URL(balancer.adminUrl).host], '1s');
    await waitFor(async () => (await prometheus!.query('up{job="loadex"} == 1')).length === 1, 30_000, 200);

    const [, killed, flaky] = backends;
    await flaky.control({ failRate: 1 });
    await batch();
    await batch();
    servedByKilled = (await killed.status()).served;
    await killed.stop('SIGKILL');
    await batch();
    await batch();
    // Prometheus has seen the killed backend down and failing its checks.
    await waitFor(
      async () =>
        (await prometheus!.query(`golb_backend_up{backend="${killed.url}"} == 0`)).length === 1 &&
        (await prometheus!.query(`golb_health_checks_total{backend="${killed.url}",result="fail"} > 0`)).length === 1,
      30_000,
      200,
    );
  });

  it('answered every request from a backend: 200 from the healthy ones, 500 from the flaky one', () => {
    expect([...statuses.keys()].sort()).toEqual([200, 500]);
    expect(statuses.get(200)! + statuses.get(500)!).toBe(4 * BATCH);
  });

  it('returns data for every query of every panel of the Grafana dashboard', async () => {
    const panels = dashboard.panels.filter((p) => p.targets?.length);
    expect(panels.length).toBeGreaterThanOrEqual(8);
    const results = new Map<string, VectorSample[][]>();
    for (const panel of panels) {
      const perTarget: VectorSample[][] = [];
      for (const target of panel.targets!) {
        const expr = expand(target.expr);
        expect(expr).not.toContain('$');
        const result = await prometheus!.query(expr);
        if (result.length === 0 || !result.some((s) => Number.isFinite(s.value))) {
          throw new Error(`panel "${panel.title}" ${target.refId}: no data for ${expr}`);
        }
        perTarget.push(result);
      }
      results.set(panel.title, perTarget);
    }

    const [alive, killed, flaky] = backends;
    const valueOf = (title: string, labels: Record<string, string>, target = 0) =>
      results.get(title)?.[target]?.find((s) => Object.entries(labels).every(([k, v]) => s.labels[k] === v))?.value;
    // The panels show what happened, not just something.
    expect(valueOf('5xx error rate per backend', { backend: flaky.url })).toBeGreaterThan(0);
    expect(valueOf('5xx error rate per backend', { backend: alive.url })).toBeUndefined();
    expect(valueOf('Backend up / down', { backend: killed.url })).toBe(0);
    expect(valueOf('Backend up / down', { backend: alive.url })).toBe(1);
    expect(valueOf('Retries per backend', { backend: killed.url, reason: 'refused' })).toBeGreaterThan(0);
    expect(valueOf('Health-check failures', { backend: killed.url })).toBeGreaterThan(0);
    expect(valueOf('Health-check failures', { backend: alive.url })).toBe(0);
    for (const b of backends) {
      expect(valueOf('Load distribution', { backend: b.url })).toBeGreaterThan(0);
      expect(valueOf('Throughput per backend (stacked RPS)', { backend: b.url })).toBeGreaterThan(0);
    }
    for (const quantile of [0, 1, 2]) {
      expect(valueOf('Request latency (P50 / P95 / P99)', {}, quantile)).toBeGreaterThan(0);
    }
  });

  it('holds per-backend request counts equal to what each backend counted itself', async () => {
    const [alive, killed, flaky] = backends;
    const counts = await prometheus!.query('sum by (backend) (golb_requests_total{job="loadex"})');
    const byBackend = new Map(counts.map((s) => [s.labels.backend, s.value]));
    expect(byBackend.get(alive.url)).toBe((await alive.status()).served);
    expect(byBackend.get(killed.url)).toBe(servedByKilled);
    expect(byBackend.get(flaky.url)).toBe((await flaky.status()).served);
    expect(byBackend.has('none')).toBe(false);
    expect([...byBackend.values()].reduce((a, b) => a + b, 0)).toBe(sent);

    const errors = await prometheus!.query('sum by (backend) (golb_requests_total{job="loadex",status="500"})');
    expect(errors.map((s) => [s.labels.backend, s.value])).toEqual([[flaky.url, (await flaky.status()).served]]);
  });

  it('agrees with the balancer on retries: the killed backend refused and its requests went elsewhere', async () => {
    const [, killed] = backends;
    const live = (await scrape(balancer.adminUrl)).samples;
    const retries = await prometheus!.query(`sum(golb_retries_total{backend="${killed.url}"})`);
    expect(retries[0].value).toBeGreaterThan(0);
    expect(retries[0].value).toBe(total(live, 'golb_retries_total', { backend: killed.url }));
    const refused = await prometheus!.query(`golb_upstream_errors_total{backend="${killed.url}",kind="refused"}`);
    expect(refused[0].value).toBeGreaterThan(0);
  });
});
