import { ServerPool } from '@loadex/pool';
import { PoolChanges } from '../../apps/balancer/src/pool-changes/pool-changes';
import { TrafficObserver } from '../../apps/balancer/src/traffic/traffic-observer';
import type { TrafficSink } from '../../apps/balancer/src/traffic/traffic-sink';

describe('TrafficObserver (traffic events on signals)', () => {
  const pool = new ServerPool();
  const a = pool.add(new URL('http://127.0.0.1:1')).backend;

  it('delivers each event to the sinks that implement it, in registration order, until they unregister', () => {
    const traffic = new TrafficObserver();
    const seen: string[] = [];
    const full: TrafficSink = {
      requestFinished: (backend, method, status, seconds) =>
        seen.push(`full finished ${backend?.url ?? '-'} ${method} ${status} ${seconds}`),
      retried: (backend, reason) => seen.push(`full retried ${backend.url} ${reason}`),
      upstreamError: (backend, kind) => seen.push(`full error ${backend.url} ${kind}`),
      healthChecked: (result) => seen.push(`full check ${result.backend.url} ${result.passed} ${result.detail}`),
    };
    const finishedOnly: TrafficSink = { requestFinished: (_b, _m, status) => seen.push(`other finished ${status}`) };
    const unregisterFull = traffic.register(full);
    traffic.register(finishedOnly);

    traffic.requestFinished(a, 'GET', 200, 0.25);
    traffic.requestFinished(undefined, 'POST', 503, 0.001);
    traffic.retried(a, 'refused');
    traffic.upstreamError(a, 'reset');
    traffic.healthChecked({ backend: a, passed: false, seconds: 0.002, detail: 'HTTP 500' });
    unregisterFull();
    traffic.requestFinished(a, 'GET', 204, 0.1);
    traffic.retried(a, 'timeout');

    expect(seen).toEqual([
      'full finished http://127.0.0.1:1 GET 200 0.25',
      'other finished 200',
      'full finished - POST 503 0.001',
      'other finished 503',
      'full retried http://127.0.0.1:1 refused',
      'full error http://127.0.0.1:1 reset',
      'full check http://127.0.0.1:1 false HTTP 500',
      'other finished 204',
    ]);
  });

  it('calls a class sink as a method (its `this` is the sink)', () => {
    class Counting implements TrafficSink {
      requests = 0;
      requestFinished(): void {
        this.requests++;
      }
    }
    const traffic = new TrafficObserver();
    const sink = new Counting();
    traffic.register(sink);
    traffic.requestFinished(a, 'GET', 200, 0.01);
    traffic.requestFinished(a, 'GET', 200, 0.01);
    expect(sink.requests).toBe(2);
  });
});

describe('PoolChanges (pool and algorithm changes as messages, on a signal)', () => {
  it('turns every pool event into a PoolChangeMessage and stops following the pool when destroyed', () => {
    const pool = new ServerPool();
    const changes = new PoolChanges(pool);
    changes.onModuleInit();
    const seen: string[] = [];
    const stop = changes.on((change) =>
      seen.push(change.type === 'algorithm' ? `algorithm ${change.algorithm}` : `${change.type} ${change.backend.url}`),
    );
    const b = pool.add(new URL('http://127.0.0.1:2')).backend;
    pool.setWeight(b, 3);
    pool.setState(b, 'draining');
    pool.setHealthy(b, false, 'test');
    changes.algorithmChanged('leastconnection');
    pool.remove(b.url);
    changes.onModuleDestroy();
    pool.add(new URL('http://127.0.0.1:3'));
    stop();
    changes.algorithmChanged('iphash');
    expect(seen).toEqual([
      'added http://127.0.0.1:2',
      'weight http://127.0.0.1:2',
      'state http://127.0.0.1:2',
      'health http://127.0.0.1:2',
      'algorithm leastconnection',
      'removed http://127.0.0.1:2',
    ]);
  });
});
