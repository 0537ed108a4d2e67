import type { BackendView } from '@loadex/api';
import { httpRequest, waitFor } from '../support/http';
import { type DemoBackend, startBackend, startBackends, startBalancer, stopAll } from '../support/processes';
import {
  escapeRegExp,
  outputMark,
  type RawServer,
  serialPorts,
  startRawServer,
  waitForFirstCheck,
  waitForNewOutput,
} from '../support/core-traffic';
import { backendViews } from '../support/admin-api';

describe('active health checks', () => {
  const raws: RawServer[] = [];

  afterEach(async () => {
    await stopAll();
    await Promise.all(raws.splice(0).map((r) => r.close()));
  });

  it('--health-fall and --health-rise set how many checks flip the state', async () => {
    const backend: DemoBackend = await startBackend();
    const balancer = await startBalancer([
      '--backends',
      backend.url,
      '--health-interval',
      '150ms',
      '--health-fall',
      '2',
      '--health-rise',
      '3',
    ]);
    const url = escapeRegExp(backend.url);
    let mark = outputMark(balancer);
    await backend.control({ healthy: false });
    await waitForNewOutput(balancer, new RegExp(`${url} is DOWN \\(2 failed check\\(s\\), last: HTTP 503\\)`), mark);
    expect((await httpRequest(balancer.url + '/')).status).toBe(503);
    mark = outputMark(balancer);
    await backend.control({ healthy: true });
    await waitForNewOutput(balancer, new RegExp(`${url} is UP \\(3 passing check\\(s\\)\\)`), mark);
    expect((await httpRequest(balancer.url + '/')).status).toBe(200);
  });

  it('a check with no answer within --health-timeout fails', async () => {
    const silent = await startRawServer((req) => void req.resume()); // never answers, not even /health
    raws.push(silent);
    const balancer = await startBalancer([
      '--backends',
      silent.url,
      '--health-timeout',
      '300ms',
      '--health-interval',
      '1m',
    ]);
    await waitForNewOutput(balancer, new RegExp(`${escapeRegExp(silent.url)} is DOWN \\(.*ETIMEDOUT\\)`), 0);
  });

  it('--health-timeout decides the outcome: a /health answered after 1.5 s fails under 300ms and passes under 5s', async () => {
    // Both values are far from the delay, and the 2 s default would pass the first and so fail this test.
    const slowHealth = await startRawServer((req, res) => {
      if (req.url === '/health') setTimeout(() => res.writeHead(200).end('OK'), 1500);
      else res.writeHead(200).end('hello');
    });
    raws.push(slowHealth);
    const args = ['--backends', slowHealth.url, '--health-interval', '1m', '--health-fall', '1', '--health-timeout'];
    const [short, long] = await Promise.all([startBalancer([...args, '300ms']), startBalancer([...args, '5s'])]);
    await Promise.all([waitForFirstCheck(short, slowHealth.url), waitForFirstCheck(long, slowHealth.url)]);
    expect((await backendViews(short)).map((v) => v.healthy)).toEqual([false]);
    expect(short.output()).toMatch(new RegExp(`${escapeRegExp(slowHealth.url)} is DOWN \\(.*ETIMEDOUT\\)`));
    expect((await backendViews(long)).map((v) => v.healthy)).toEqual([true]);
    expect(long.output()).not.toMatch(/is DOWN/);
    expect(slowHealth.received.filter((r) => r.url === '/health')).toHaveLength(2);
  });

  it('--health-path chooses the path; only 200 passes', async () => {
    const custom = await startRawServer((req, res) => {
      res.writeHead(req.url === '/ready' ? 200 : 404).end();
    });
    const redirecting = await startRawServer((req, res) => {
      res.writeHead(req.url === '/ready' ? 301 : 200, { location: '/elsewhere' }).end();
    });
    raws.push(custom, redirecting);
    const balancer = await startBalancer([
      '--backends',
      `${custom.url},${redirecting.url}`,
      '--health-path',
      '/ready',
      '--health-interval',
      '100ms',
    ]);
    await waitForNewOutput(balancer, new RegExp(`${escapeRegExp(redirecting.url)} is DOWN \\(.*HTTP 301\\)`), 0);
    await waitFor(() => custom.received.filter((r) => r.url === '/ready').length >= 3);
    expect(balancer.output()).not.toMatch(new RegExp(`${escapeRegExp(custom.url)} is DOWN`));
    expect(custom.received.every((r) => r.url === '/ready')).toBe(true);
  });

  it('a backend added at runtime is checked at once (not at the next interval) and gets weight 1, never 0', async () => {
    const [first, added] = await startBackends(2);
    const balancer = await startBalancer(['--algo', 'wrr', '--backends', `${first.url}=2`, '--health-interval', '10m']);

    // A sick backend added while the next scheduled check is minutes away: it goes DOWN right away.
    await added.control({ healthy: false });
    const mark = outputMark(balancer);
    const res = await httpRequest(`${balancer.adminUrl}/api/add?url=${encodeURIComponent(added.url)}`, {
      method: 'POST',
    });
    expect(res.status).toBe(201);
    expect((JSON.parse(res.body) as BackendView).weight).toBe(1);
    await waitForNewOutput(balancer, new RegExp(`${escapeRegExp(added.url)} is DOWN`), mark);
    expect(new Set(await serialPorts(balancer.url + '/', 6))).toEqual(new Set([first.port]));

    // Healthy again. The next scheduled check is minutes away, so remove it and add it again,
    // without a weight: it is checked at once and takes its share as weight 1.
    await added.control({ healthy: true });
    const upMark = outputMark(balancer);
    const del = await httpRequest(`${balancer.adminUrl}/api/backends?url=${encodeURIComponent(added.url)}`, {
      method: 'DELETE',
    });
    expect(del.status).toBeLessThan(300);
    expect(
      (await httpRequest(`${balancer.adminUrl}/api/add?url=${encodeURIComponent(added.url)}`, { method: 'POST' }))
        .status,
    ).toBe(201);
    await waitForNewOutput(balancer, new RegExp(`backend added: ${escapeRegExp(added.url)} \\(weight 1\\)`), upMark);
    const ports = await serialPorts(balancer.url + '/', 30);
    expect(ports.filter((p) => p === first.port)).toHaveLength(20);
    expect(ports.filter((p) => p === added.port)).toHaveLength(10);
  });
});
