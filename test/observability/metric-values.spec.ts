import { httpRequest } from '../support/http';
import { type Balancer, type DemoBackend, startBackends, startBalancer, stopAll } from '../support/processes';
import { parseSamples, scrape, select, total } from './support/exposition';
import { promtool } from './support/prometheus-server';

/**
 * The numbers on /metrics are right, not just present: counted per backend exactly as the
 * algorithm split the traffic, equal to what the backends counted themselves, a killed backend
 * reported down with its refused request retried, and requests nobody could take under "none".
 * Health checks run once at start and then hourly, so only requests change anything here.
 */
const REQUESTS = 'golb_requests_total';
const DURATION_COUNT = 'golb_request_duration_seconds_count';

async function sendSequentially(url: string, n: number): Promise<number[]> {
  const statuses: number[] = [];
  for (let i = 0; i < n; i++) statuses.push((await httpRequest(`${url}/`)).status);
  return statuses;
}

afterAll(stopAll);

describe('round robin over three backends', () => {
  let backends: DemoBackend[];
  let balancer: Balancer;

  beforeAll(async () => {
    backends = await startBackends(3);
    balancer = await startBalancer([
      '--backends',
      backends.map((b) => b.url).join(','),
      '--algo',
      'roundrobin',
      '--health-interval',
      '1h',
    ]);
  });

  it('counts 30 requests as 10 per backend, in the counter and the histogram, equal to what each backend served', async () => {
    expect(await sendSequentially(balancer.url, 30)).toEqual(Array(30).fill(200));
    const { samples } = await scrape(balancer.adminUrl);
    for (const backend of backends) {
      const labels = { method: 'GET', status: '200', backend: backend.url };
      expect(select(samples, REQUESTS, labels).map((s) => s.value)).toEqual([10]);
      expect(select(samples, DURATION_COUNT, labels).map((s) => s.value)).toEqual([10]);
      const le10s = select(samples, 'golb_request_duration_seconds_bucket', { ...labels, le: '10' });
      expect(le10s.map((s) => s.value)).toEqual([10]);
      expect(total(samples, 'golb_request_duration_seconds_sum', labels)).toBeGreaterThan(0);
      expect((await backend.status()).served).toBe(10);
    }
    expect(total(samples, REQUESTS)).toBe(30);
    expect(select(samples, REQUESTS, { backend: 'none' })).toEqual([]);
  });

  it('passes promtool check metrics on the live output after traffic', async () => {
    const { text } = await scrape(balancer.adminUrl);
    expect(text).toContain('golb_requests_total{');
    expect(text).toContain('process_cpu_seconds_total');
    const result = promtool(['check', 'metrics'], text);
    expect(result.output).toBe('');
    expect(result.status).toBe(0);
  });

  it('exports one up, active-requests and weight gauge per backend, read from the pool', async () => {
    const { samples } = await scrape(balancer.adminUrl);
    for (const name of ['golb_backend_up', 'golb_backend_weight']) {
      expect(select(samples, name).map((s) => [s.labels.backend, s.value])).toEqual(backends.map((b) => [b.url, 1]));
    }
    expect(select(samples, 'golb_backend_active_requests').map((s) => [s.labels.backend, s.value])).toEqual(
      backends.map((b) => [b.url, 0]),
    );
    expect(total(samples, 'golb_health_checks_total', { result: 'pass' })).toBe(3);
    expect(total(samples, 'golb_health_checks_total', { result: 'fail' })).toBe(0);
    expect(total(samples, 'golb_health_check_duration_seconds_count')).toBe(3);
  });

  it('reports a killed backend down, counts its refused request as one retry, and keeps every request answered', async () => {
    const [dead, ...alive] = backends;
    await dead.stop('SIGKILL');
    // Two rounds: the dead backend is picked at least once while still marked up.
    expect(await sendSequentially(balancer.url, 6)).toEqual(Array(6).fill(200));

    const { samples } = await scrape(balancer.adminUrl);
    expect(select(samples, 'golb_backend_up', { backend: dead.url }).map((s) => s.value)).toEqual([0]);
    for (const b of alive) {
      expect(select(samples, 'golb_backend_up', { backend: b.url }).map((s) => s.value)).toEqual([1]);
    }
    expect(total(samples, 'golb_retries_total', { backend: dead.url, reason: 'refused' })).toBe(1);
    expect(total(samples, 'golb_upstream_errors_total', { backend: dead.url, kind: 'refused' })).toBe(1);
    // A keep-alive socket the kill closed may surface as one reset first; every failed GET was retried.
    expect(total(samples, 'golb_retries_total', { backend: dead.url })).toBe(
      total(samples, 'golb_upstream_errors_total', { backend: dead.url }),
    );
    for (const b of alive) expect(total(samples, 'golb_retries_total', { backend: b.url })).toBe(0);

    // Requests are counted under the backend that answered: the dead one keeps its 10.
    expect(total(samples, REQUESTS, { backend: dead.url })).toBe(10);
    expect(total(samples, REQUESTS)).toBe(36);
    let served = 0;
    for (const b of alive) {
      const count = total(samples, REQUESTS, { backend: b.url, status: '200' });
      expect(count).toBe((await b.status()).served);
      served += count;
    }
    expect(served).toBe(26);
  });

  it('counts 502 under the last backend tried and 503 under backend="none" once nothing is left', async () => {
    const alive = backends.slice(1);
    await Promise.all(alive.map((b) => b.stop('SIGKILL')));
    const statuses = await sendSequentially(balancer.url, 6);
    // Requests find the remaining backends refusing (502) until both are marked down; from then on
    // nothing is routable (503). A keep-alive socket closed by the kill can cost one more 502.
    const bad = statuses.filter((s) => s === 502).length;
    expect(bad).toBeGreaterThanOrEqual(1);
    expect(statuses).toEqual([...Array(bad).fill(502), ...Array(6 - bad).fill(503)]);
    expect(6 - bad).toBeGreaterThanOrEqual(3);

    const { samples } = await scrape(balancer.adminUrl);
    expect(
      select(samples, REQUESTS, { backend: 'none' }).map((s) => [s.labels.method, s.labels.status, s.value]),
    ).toEqual([['GET', '503', 6 - bad]]);
    expect(select(samples, DURATION_COUNT, { backend: 'none', status: '503' }).map((s) => s.value)).toEqual([6 - bad]);
    expect(total(samples, REQUESTS, { status: '502' })).toBe(bad);
    for (const s of select(samples, REQUESTS, { status: '502' })) {
      expect(alive.map((b) => b.url)).toContain(s.labels.backend);
    }
    expect(select(samples, 'golb_backend_up').every((s) => s.value === 0)).toBe(true);
  });
});

describe('weighted round robin with weights 1, 2 and 3', () => {
  it('counts 60 requests as 10, 20 and 30, equal to what each backend served', async () => {
    const backends = await startBackends(3);
    const balancer = await startBalancer([
      '--backends',
      backends.map((b, i) => `${b.url}=${i + 1}`).join(','),
      '-algo',
      'wrr',
      '--health-interval',
      '1h',
    ]);
    expect(await sendSequentially(balancer.url, 60)).toEqual(Array(60).fill(200));
    const samples = parseSamples(await (await fetch(`${balancer.adminUrl}/metrics`)).text());
    for (const [i, backend] of backends.entries()) {
      expect(total(samples, REQUESTS, { backend: backend.url, method: 'GET', status: '200' })).toBe(10 * (i + 1));
      expect(select(samples, 'golb_backend_weight', { backend: backend.url }).map((s) => s.value)).toEqual([i + 1]);
      expect((await backend.status()).served).toBe(10 * (i + 1));
    }
  });
});

describe('with --admin-port', () => {
  it('serves /metrics on the admin listener only; on the proxy port /metrics is just another path for the backends', async () => {
    const [backend] = await startBackends(1);
    const balancer = await startBalancer(['--backends', backend.url, '--admin-port', '0', '--health-interval', '1h']);
    expect(balancer.adminUrl).not.toBe(balancer.url);
    const proxied = await httpRequest(`${balancer.url}/metrics`);
    expect(proxied.body).not.toContain('golb_requests_total');
    const { samples } = await scrape(balancer.adminUrl);
    expect(select(samples, REQUESTS).map((s) => [s.labels.backend, s.labels.status, s.value])).toEqual([
      [backend.url, String(proxied.status), 1],
    ]);
  });
});

describe('a backend removed through the admin API', () => {
  it('leaves no series behind on /metrics, while the other backends keep theirs', async () => {
    const [kept, removed] = await startBackends(2);
    const balancer = await startBalancer(['--backends', `${kept.url},${removed.url}`, '--health-interval', '1h']);
    expect(await sendSequentially(balancer.url, 4)).toEqual([200, 200, 200, 200]);
    const before = (await scrape(balancer.adminUrl)).samples;
    expect(before.filter((s) => s.labels.backend === removed.url).length).toBeGreaterThan(20);

    const res = await httpRequest(`${balancer.adminUrl}/api/backends?url=${encodeURIComponent(removed.url)}`, {
      method: 'DELETE',
    });
    expect(res.status).toBe(200);
    expect(await sendSequentially(balancer.url, 2)).toEqual([200, 200]);

    const after = (await scrape(balancer.adminUrl)).samples;
    expect(after.filter((s) => s.labels.backend === removed.url)).toEqual([]);
    expect(total(after, REQUESTS, { backend: kept.url })).toBe(4);
    expect(select(after, 'golb_backend_up').map((s) => s.labels.backend)).toEqual([kept.url]);
  });
});
