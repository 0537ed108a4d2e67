import { hostname } from 'node:os';
import { readCommandLine } from '../../apps/balancer/src/config/command-line';
import { ConfigError } from '../../apps/balancer/src/config/config-error';
import { loadConfig } from '../../apps/balancer/src/config/load-config';
import { toSnapshot } from '../../apps/balancer/src/store/control-snapshot';
import { clusterStats } from '../../apps/balancer/src/store/instance-directory';
import { parseStoreUrl, redactStoreUrl } from '../../apps/balancer/src/store/store-url';
import type { InstanceView } from '@loadex/api';

const config = (argv: string[], env: NodeJS.ProcessEnv = {}) => loadConfig(readCommandLine(argv, env, '0.0.0'));

describe('--store, --instance, --store-optional', () => {
  it('parses redis:// and rediss:// URLs, with a password, a port and a database', () => {
    expect(parseStoreUrl('redis://127.0.0.1')).toMatchObject({ host: '127.0.0.1', port: 6379, db: 0, tls: false });
    expect(parseStoreUrl('rediss://:pw@cache.internal:6380/3')).toMatchObject({
      host: 'cache.internal',
      port: 6380,
      db: 3,
      tls: true,
      href: 'rediss://:pw@cache.internal:6380/3',
      display: 'rediss://:***@cache.internal:6380/3',
    });
    expect(redactStoreUrl('redis://user:secret@h:1/0')).toBe('redis://user:***@h:1/0');
  });

  it.each([
    ['http://127.0.0.1:6379', /expected a redis:\/\/ or rediss:\/\/ URL, not http:\/\//],
    ['redis://127.0.0.1/db1', /expected a database number after the host, not "\/db1"/],
    ['redis://127.0.0.1/0?x=1', /expected no query or fragment/],
    ['not a url', /expected redis:\/\/\[:password@\]host/],
  ])('refuses --store %s with a message naming it', async (store, message) => {
    const attempt = config(['--backends', 'http://127.0.0.1:9', '--store', store]);
    await expect(attempt).rejects.toThrow(ConfigError);
    await expect(attempt).rejects.toThrow(message);
  });

  it('never prints the password of a refused URL', async () => {
    await expect(config(['--store', 'redis://:hunter2@127.0.0.1/x'])).rejects.toThrow(
      /^invalid --store "redis:\/\/:\*\*\*@127\.0\.0\.1\/x"/,
    );
  });

  it('reads LOADEX_STORE and LOADEX_INSTANCE; without --backends when a store is given', async () => {
    const c = await config([], { LOADEX_STORE: 'redis://10.0.0.5:6379/1', LOADEX_INSTANCE: 'edge-1' });
    expect(c.store).toMatchObject({ host: '10.0.0.5', db: 1 });
    expect(c.instance).toBe('edge-1');
    expect(c.backends).toEqual([]);
    expect(c.storeOptional).toBe(false);
    expect((await config(['--store', 'redis://h', '--store-optional'])).storeOptional).toBe(true);
  });

  it('names the instance hostname:port by default', async () => {
    expect((await config(['--backends', 'http://127.0.0.1:9', '--port', '8090'])).instance).toBe(`${hostname()}:8090`);
    await expect(config(['--backends', 'http://127.0.0.1:9', '--instance', 'two words'])).rejects.toThrow(
      /invalid --instance "two words"/,
    );
  });

  it('refuses --state-file together with --store', async () => {
    await expect(config(['--store', 'redis://h', '--state-file', '/tmp/s.json'])).rejects.toThrow(
      /--state-file and --store are exclusive/,
    );
  });
});

describe('the control script reply', () => {
  it('orders backends by seq and skips entries that are not Loadex backends', () => {
    const snapshot = toSnapshot([
      'OK',
      '7',
      '{"name":"leastconnection","options":{}}',
      [
        'http://b:2',
        '{"weight":2,"state":"draining","seq":5}',
        'http://a:1',
        '{"weight":1,"state":"active","seq":3}',
        'ftp://x',
        '{"weight":1,"state":"active","seq":1}',
        'http://c:3',
        '{"weight":0,"state":"active","seq":9}',
        'http://d:4',
        'not json',
      ],
      'epoch-1',
    ]);
    expect(snapshot).toEqual({
      version: 7,
      epoch: 'epoch-1',
      algorithm: { name: 'leastconnection', options: {} },
      backends: [
        { url: 'http://a:1', weight: 1, state: 'active', seq: 3 },
        { url: 'http://b:2', weight: 2, state: 'draining', seq: 5 },
      ],
    });
    expect(toSnapshot(['OK', '0', '', [], '']).algorithm).toBeNull();
  });
});

describe('cluster sums', () => {
  const latency = { p50: null, p95: null, p99: null };
  const instance = (name: string, requests: number, healthy: boolean): InstanceView => ({
    instance: name,
    self: false,
    at: '',
    uptimeSeconds: 1,
    algorithm: 'roundrobin',
    version: 1,
    totals: { requests, errors: 1, activeRequests: 2, rps: 0.5, latency },
    backends: [
      {
        url: 'http://a:1',
        weight: 1,
        healthy,
        state: 'active',
        requests,
        errors: 1,
        activeRequests: 2,
        rps: 0.25,
        latency,
      },
    ],
  });

  it('adds the replicas up, and counts on how many each backend is healthy', () => {
    expect(clusterStats([instance('x', 10, true), instance('y', 5, false)])).toEqual({
      instances: ['x', 'y'],
      totals: { requests: 15, errors: 2, activeRequests: 4, rps: 1 },
      perInstance: [
        { instance: 'x', totals: { requests: 10, errors: 1, activeRequests: 2, rps: 0.5, latency } },
        { instance: 'y', totals: { requests: 5, errors: 1, activeRequests: 2, rps: 0.5, latency } },
      ],
      backends: [
        { url: 'http://a:1', requests: 15, errors: 2, activeRequests: 4, rps: 0.5, healthyOn: 1, instances: 2 },
      ],
    });
  });
});
