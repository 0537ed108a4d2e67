import { Test, type TestingModule } from '@nestjs/testing';
import { getToken } from '@willsoto/nestjs-prometheus';
import { type Counter, type Histogram, register } from 'prom-client';
import { type Backend, parseBackendUrl, PoolModule, ServerPool } from '@loadex/pool';
import { MetricsModule } from '../../apps/balancer/src/metrics/metrics.module';
import { TrafficModule } from '../../apps/balancer/src/traffic/traffic.module';
import { TrafficObserver } from '../../apps/balancer/src/traffic/traffic-observer';
import { parseSamples, select, total } from './support/exposition';

/**
 * The recorder in-process, with the real pool, traffic observer and prom-client registry: label
 * children are resolved once, not per request, and a removed backend's series disappear.
 */
describe('MetricsRecorder', () => {
  let moduleRef: TestingModule;
  let pool: ServerPool;
  let traffic: TrafficObserver;

  const samples = async () => parseSamples(await register.metrics());
  const add = (url: string, weight = 1): Backend => pool.add(parseBackendUrl(url), weight).backend;

  beforeEach(async () => {
    register.clear();
    moduleRef = await Test.createTestingModule({ imports: [PoolModule, TrafficModule, MetricsModule] }).compile();
    await moduleRef.init();
    pool = moduleRef.get(ServerPool);
    traffic = moduleRef.get(TrafficObserver);
  });

  afterEach(async () => {
    await moduleRef.close();
    register.clear();
  });

  it('resolves label children once per backend, method and status, however many requests', async () => {
    const a = add('http://127.0.0.1:9001');
    const b = add('http://127.0.0.1:9002');
    const requests = moduleRef.get<Counter<string>>(getToken('golb_requests_total'));
    const duration = moduleRef.get<Histogram<string>>(getToken('golb_request_duration_seconds'));
    const counterLabels = jest.spyOn(requests, 'labels');
    const histogramLabels = jest.spyOn(duration, 'labels');

    for (let i = 0; i < 1000; i++) {
      traffic.requestFinished(i % 2 ? a : b, 'GET', 200, 0.001);
      traffic.requestFinished(a, i % 10 ? 'GET' : 'POST', i % 100 ? 200 : 500, 0.002);
    }
    traffic.requestFinished(undefined, 'GET', 503, 0.0001);

    // a: GET 200, POST 200, POST 500; b: GET 200; none: GET 503.
    expect(counterLabels).toHaveBeenCalledTimes(5);
    expect(histogramLabels).toHaveBeenCalledTimes(5);
    const s = await samples();
    expect(total(s, 'golb_requests_total')).toBe(2001);
    expect(total(s, 'golb_requests_total', { backend: a.url })).toBe(1500);
    expect(total(s, 'golb_requests_total', { backend: a.url, method: 'POST', status: '500' })).toBe(10);
    expect(total(s, 'golb_requests_total', { backend: b.url })).toBe(500);
    expect(total(s, 'golb_request_duration_seconds_count', { backend: 'none', status: '503' })).toBe(1);
    expect(total(s, 'golb_request_duration_seconds_bucket', { backend: 'none', le: '0.0005' })).toBe(1);
  });

  it('starts retries, upstream errors and health checks at 0 for every backend in the pool', async () => {
    const a = add('http://127.0.0.1:9001');
    const s = await samples();
    expect(select(s, 'golb_retries_total', { backend: a.url }).map((x) => [x.labels.reason, x.value])).toEqual([
      ['refused', 0],
      ['reset', 0],
    ]);
    expect(select(s, 'golb_upstream_errors_total', { backend: a.url }).map((x) => x.labels.kind)).toEqual([
      'refused',
      'reset',
      'timeout',
    ]);
    expect(select(s, 'golb_health_checks_total', { backend: a.url }).map((x) => x.labels.result)).toEqual([
      'pass',
      'fail',
    ]);
  });

  it('records retries, upstream errors and health checks under their backend', async () => {
    const a = add('http://127.0.0.1:9001');
    traffic.retried(a, 'refused');
    traffic.upstreamError(a, 'refused');
    traffic.upstreamError(a, 'timeout');
    traffic.upstreamError(a, 'other');
    traffic.healthChecked({ backend: a, passed: false, seconds: 0.2, detail: 'ECONNREFUSED' });
    traffic.healthChecked({ backend: a, passed: true, seconds: 0.003, detail: '200' });
    const s = await samples();
    expect(total(s, 'golb_retries_total', { backend: a.url, reason: 'refused' })).toBe(1);
    expect(total(s, 'golb_upstream_errors_total', { backend: a.url })).toBe(3);
    expect(total(s, 'golb_upstream_errors_total', { backend: a.url, kind: 'other' })).toBe(1);
    expect(total(s, 'golb_health_checks_total', { backend: a.url, result: 'fail' })).toBe(1);
    expect(total(s, 'golb_health_checks_total', { backend: a.url, result: 'pass' })).toBe(1);
    expect(total(s, 'golb_health_check_duration_seconds_count', { backend: a.url })).toBe(2);
    expect(total(s, 'golb_health_check_duration_seconds_sum', { backend: a.url })).toBeCloseTo(0.203, 6);
  });

  it('reads up, active requests and weight from the pool at scrape time', async () => {
    const a = add('http://127.0.0.1:9001', 3);
    const b = add('http://127.0.0.1:9002');
    pool.acquire(a);
    pool.acquire(a);
    pool.setHealthy(b, false, 'test');
    pool.setWeight(b, 7);
    const s = await samples();
    const byBackend = (name: string) => select(s, name).map((x) => [x.labels.backend, x.value]);
    expect(byBackend('golb_backend_up')).toEqual([
      [a.url, 1],
      [b.url, 0],
    ]);
    expect(byBackend('golb_backend_active_requests')).toEqual([
      [a.url, 2],
      [b.url, 0],
    ]);
    expect(byBackend('golb_backend_weight')).toEqual([
      [a.url, 3],
      [b.url, 7],
    ]);
  });

  it('drops every series of a removed backend, and a late request on it does not bring them back', async () => {
    const a = add('http://127.0.0.1:9001');
    const b = add('http://127.0.0.1:9002');
    for (const backend of [a, b]) {
      traffic.requestFinished(backend, 'GET', 200, 0.01);
      traffic.requestFinished(backend, 'PUT', 502, 0.01);
      traffic.retried(backend, 'reset');
      traffic.upstreamError(backend, 'reset');
      traffic.healthChecked({ backend, passed: true, seconds: 0.001, detail: '200' });
    }
    pool.acquire(a); // a request still in flight on a when it is removed
    pool.remove(a.url);

    traffic.requestFinished(a, 'GET', 200, 0.5);
    traffic.retried(a, 'refused');
    traffic.healthChecked({ backend: a, passed: false, seconds: 0.001, detail: 'ECONNREFUSED' });
    const s = await samples();
    const golb = s.filter((x) => x.name.startsWith('golb_'));
    expect(golb.filter((x) => x.labels.backend === a.url)).toEqual([]);
    expect(golb.filter((x) => x.labels.backend === b.url).length).toBeGreaterThan(20);
    expect(total(s, 'golb_requests_total', { backend: b.url })).toBe(2);

    // The same URL added again is a new backend whose counts start from zero.
    const again = add(a.url);
    traffic.requestFinished(again, 'GET', 200, 0.01);
    const after = await samples();
    expect(total(after, 'golb_requests_total', { backend: a.url })).toBe(1);
    expect(total(after, 'golb_retries_total', { backend: a.url })).toBe(0);
  });
});
