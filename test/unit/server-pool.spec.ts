import { Backend, BackendUrlError, parseBackendUrl, type PoolEvent, ServerPool } from '@loadex/pool';

const url = (port: number) => new URL(`http://127.0.0.1:${port}`);

describe('ServerPool', () => {
  it('adds a backend with weight 1 unless given one, never 0', () => {
    const pool = new ServerPool();
    expect(pool.add(url(1)).backend.weight).toBe(1);
    expect(pool.add(url(2), 3).backend.weight).toBe(3);
    expect(new Backend(url(3)).weight).toBe(1);
  });

  it('adding the same origin twice returns the existing backend', () => {
    const pool = new ServerPool();
    const first = pool.add(url(1), 2);
    const again = pool.add(new URL('http://127.0.0.1:1/'), 5);
    expect(again.created).toBe(false);
    expect(again.backend).toBe(first.backend);
    expect(again.backend.weight).toBe(2);
    expect(pool.size).toBe(1);
  });

  it('routable() is healthy and active backends only, and follows every change', () => {
    const pool = new ServerPool();
    const a = pool.add(url(1)).backend;
    const b = pool.add(url(2)).backend;
    const c = pool.add(url(3)).backend;
    expect(pool.routable()).toEqual([a, b, c]);
    pool.setHealthy(b, false, 'test');
    expect(pool.routable()).toEqual([a, c]);
    pool.setState(c, 'draining');
    expect(pool.routable()).toEqual([a]);
    pool.setHealthy(b, true, 'test');
    pool.setState(c, 'active');
    expect(pool.routable()).toEqual([a, b, c]);
    pool.remove(a.url);
    expect(pool.routable()).toEqual([b, c]);
  });

  it('routable() returns the same array until something changes (nothing allocated per request)', () => {
    const pool = new ServerPool();
    pool.add(url(1));
    const first = pool.routable();
    expect(pool.routable()).toBe(first);
    pool.add(url(2));
    expect(pool.routable()).not.toBe(first);
  });

  it('acquire/release move the active counter both ways; total only goes up', () => {
    const pool = new ServerPool();
    const a = pool.add(url(1)).backend;
    pool.acquire(a);
    pool.acquire(a);
    expect(a.activeRequests).toBe(2);
    pool.release(a);
    pool.release(a);
    expect(a.activeRequests).toBe(0);
    expect(a.totalRequests).toBe(2);
    expect(pool.activeRequests()).toBe(0);
  });

  it('emits one event per real change and none for no-ops', () => {
    const pool = new ServerPool();
    const events: PoolEvent['type'][] = [];
    pool.on((e) => events.push(e.type));
    const a = pool.add(url(1)).backend;
    pool.add(url(1));
    pool.setHealthy(a, true, 'already up');
    pool.setHealthy(a, false, 'down');
    pool.setHealthy(a, false, 'still down');
    pool.setWeight(a, 1);
    pool.setWeight(a, 4);
    pool.setState(a, 'draining');
    pool.remove(a.url);
    pool.remove(a.url);
    expect(events).toEqual(['added', 'health', 'weight', 'state', 'removed']);
  });

  it('a removed backend no longer changes health', () => {
    const pool = new ServerPool();
    const events: PoolEvent[] = [];
    const a = pool.add(url(1)).backend;
    pool.remove(a.url);
    pool.on((e) => events.push(e));
    pool.setHealthy(a, false, 'late check');
    expect(events).toHaveLength(0);
  });
});

describe('parseBackendUrl', () => {
  it.each(['http://127.0.0.1:8001', 'https://example.test', 'http://[::1]:8080/'])('accepts %s', (text) => {
    expect(parseBackendUrl(text).origin).toBe(new URL(text).origin);
  });

  it.each([
    ['', /empty/],
    ['localhost:8001', /http: or https:|absolute/],
    ['ftp://x', /http: or https:/],
    ['http://u:p@x', /credentials/],
    ['http://x/?a=1', /query/],
    ['http://x/#f', /fragment/],
    ['http://x/path', /without a path/],
    ['not a url', /absolute URL/],
  ])('rejects %j', (text, message) => {
    expect(() => parseBackendUrl(text)).toThrow(BackendUrlError);
    expect(() => parseBackendUrl(text)).toThrow(message);
  });
});
