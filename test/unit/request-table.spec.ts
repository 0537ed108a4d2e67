import { Counter, Histogram, Registry } from 'prom-client';
import { LATENCY_BUCKETS } from '../../apps/balancer/src/metrics/latency-buckets';
import { RequestTable } from '../../apps/balancer/src/metrics/request-table';

const LABELS = ['method', 'status', 'backend'];

/** The two request metrics in their own registry; with a table, they read it at scrape time. */
function metrics(table?: RequestTable) {
  const registry = new Registry();
  const requests = new Counter({
    name: 'golb_requests_total',
    help: 'requests',
    labelNames: LABELS,
    registers: [registry],
    ...(table ? { collect: () => table.flushCounter() } : {}),
  });
  const duration = new Histogram({
    name: 'golb_request_duration_seconds',
    help: 'duration',
    labelNames: LABELS,
    buckets: [...LATENCY_BUCKETS],
    registers: [registry],
    ...(table ? { collect: () => table.flushHistogram() } : {}),
  });
  return { registry, requests, duration };
}

describe('RequestTable: requests and latencies in typed arrays, read by prom-client at scrape time', () => {
  const traffic: Array<[string, string, string, number]> = [];
  for (let i = 0; i < 500; i++) {
    traffic.push([
      i % 7 ? 'GET' : 'POST',
      i % 50 ? '200' : '502',
      `http://127.0.0.1:${9000 + (i % 3)}`,
      [0.0001, 0.0007, 0.003, 0.04, 0.3, 2, 12][i % 7],
    ]);
  }

  it('gives exactly the exposition text of prom-client counting each request itself, scrape after scrape', async () => {
    const plain = metrics();
    const table = new RequestTable();
    const typed = metrics(table);
    const series = new Map<string, number>();
    const record = (from: number, to: number) => {
      for (const [method, status, backend, seconds] of traffic.slice(from, to)) {
        const labels = { method, status, backend };
        plain.requests.inc(labels);
        plain.duration.observe(labels, seconds);
        const key = `${method} ${status} ${backend}`;
        let slot = series.get(key);
        if (slot === undefined) {
          slot = table.open(labels, typed.requests, typed.duration).slot;
          series.set(key, slot);
        }
        table.record(slot, seconds);
      }
    };
    record(0, 200);
    expect(await typed.registry.metrics()).toBe(await plain.registry.metrics());
    record(200, 500);
    expect(await typed.registry.metrics()).toBe(await plain.registry.metrics());
  });

  it('reuses the slot of a closed series and starts it at zero', () => {
    const table = new RequestTable();
    const m = metrics(table);
    const a = table.open({ method: 'GET', status: '200', backend: 'a' }, m.requests, m.duration);
    table.record(a.slot, 0.001);
    m.requests.remove(a.labels);
    m.duration.remove(a.labels);
    table.close(a);
    const b = table.open({ method: 'GET', status: '200', backend: 'b' }, m.requests, m.duration);
    expect(b.slot).toBe(a.slot);
    table.flushHistogram();
    expect(b.histogram.count).toBe(0);
  });

  it('grows past its first capacity without losing counts', async () => {
    const table = new RequestTable();
    const m = metrics(table);
    const opened = Array.from({ length: 600 }, (_, i) =>
      table.open({ method: 'GET', status: '200', backend: `b${i}` }, m.requests, m.duration),
    );
    for (const s of opened) table.record(s.slot, 0.002);
    const text = await m.registry.metrics();
    expect(text).toContain('golb_requests_total{method="GET",status="200",backend="b599"} 1');
    expect(text).toContain('golb_request_duration_seconds_count{method="GET",status="200",backend="b0"} 1');
  });
});
