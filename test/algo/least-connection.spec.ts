import { type Agent, request } from 'node:http';
import { WebSocket } from 'ws';
import { countByBackend, httpRequest, sendMany, waitFor } from '../support/http';
import { type DemoBackend, startBackend, startBackends, startBalancer, stopAll } from '../support/processes';
import {
  answerHealth,
  backendViews,
  escapeRegExp,
  keepAliveAgent,
  outputMark,
  type RawServer,
  serialPorts,
  startRawServer,
  statusCounts,
  waitForNewOutput,
} from '../support/core-traffic';

/**
 * Sends a GET and destroys it (a client abort) as soon as `held()` says the hanging backend has it;
 * resolves false when another backend answered it first.
 */
function abortIfHeld(url: string, held: () => boolean): Promise<boolean> {
  return new Promise((resolve) => {
    const req = request(url, { agent: false }, (res) => {
      clearInterval(poll);
      res.resume();
      res.on('end', () => resolve(false));
    });
    req.on('error', () => undefined);
    req.end();
    const poll = setInterval(() => {
      if (!held()) return;
      clearInterval(poll);
      req.destroy();
      resolve(true);
    }, 5);
  });
}

describe('leastconnection through the balancer', () => {
  afterEach(async () => {
    await stopAll();
  });

  it('with one slow backend and nine fast ones under concurrent load, the slow one gets clearly fewer', async () => {
    const backends = await startBackends(10);
    const slow = backends[0];
    await slow.control({ latencyMs: 1000 });
    const balancer = await startBalancer(['--algo', 'lc', '--backends', backends.map((b) => b.url).join(',')]);
    const agent: Agent = keepAliveAgent(20);
    try {
      const results = await sendMany(1000, 20, () => httpRequest(balancer.url + '/', { agent }));
      expect(statusCounts(results)).toEqual({ '200': 1000 });
      const counts = countByBackend(results);
      const fast = backends.slice(1).map((b) => counts.get(b.port) ?? 0);
      // A fair share is 100; round robin would give the slow one exactly that.
      expect(counts.get(slow.port) ?? 0).toBeLessThan(50);
      for (const n of fast) expect(n).toBeGreaterThan(70);
    } finally {
      agent.destroy();
    }
  });

  it('an open WebSocket counts as an active connection until it closes', async () => {
    const [a, b] = await startBackends(2);
    const balancer = await startBalancer(['--algo', 'lc', '--backends', `${a.url},${b.url}`]);
    const ws = new WebSocket(`ws://127.0.0.1:${balancer.port}/live`);
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    // Which backend holds the socket: the other one takes every plain request meanwhile.
    const during = await serialPorts(balancer.url + '/', 6);
    expect(new Set(during).size).toBe(1);
    const holder = during[0] === a.port ? b : a;
    ws.close();
    await new Promise((resolve) => ws.once('close', resolve));
    // Once closed, the holder's count is back to zero and ties alternate again.
    await waitFor(async () => {
      const ports = await serialPorts(balancer.url + '/', 2);
      return ports.includes(holder.port);
    });
    const after = await serialPorts(balancer.url + '/', 10);
    expect(after.filter((p) => p === holder.port)).toHaveLength(5);
  });

  it('the active counter goes down however a request ends: finish, client abort, upstream timeout, reset and retry', async () => {
    // A hand-written backend whose behaviour the test switches, next to a normal demo backend.
    let mode: 'ok' | 'hang' | 'reset' = 'ok';
    let resets = 0;
    let port = 0;
    const odd: RawServer = await startRawServer((req, res, socket) => {
      // Once a proxied request has been reset, health checks are reset too, so the backend stays
      // down until the test switches it back (a passing check could otherwise revive it mid-loop).
      if (mode === 'reset' && (req.url !== '/health' || resets > 0)) {
        if (req.url !== '/health') resets++;
        return void socket.resetAndDestroy();
      }
      if (answerHealth(req, res)) return;
      if (mode === 'hang') return void req.resume();
      res.writeHead(200, { 'content-type': 'text/plain' }).end(`Response from backend: http://localhost:${port}`);
    });
    port = odd.port;
    const normal: DemoBackend = await startBackend();
    const balancer = await startBalancer([
      '--algo',
      'leastconnection',
      '--backends',
      `${odd.url},${normal.url}`,
      '--upstream-timeout',
      '1s',
      '--health-interval',
      '200ms',
    ]);
    const proxiedToOdd = () => odd.received.filter((r) => r.url !== '/health').length;
    try {
      // Idle pool: ties alternate.
      expect(new Set(await serialPorts(balancer.url + '/', 4)).size).toBe(2);

      // Upstream timeouts (504) on the odd backend: serial requests on an idle pool alternate.
      mode = 'hang';
      let before = proxiedToOdd();
      const timedOut = await sendMany(4, 1, () => httpRequest(balancer.url + '/'));
      expect(statusCounts(timedOut)).toEqual({ '200': 2, '504': 2 });
      expect(proxiedToOdd()).toBe(before + 2);

      // Client aborts while the odd backend holds the request.
      let aborted = 0;
      for (let i = 0; i < 20 && aborted < 3; i++) {
        before = proxiedToOdd();
        if (await abortIfHeld(balancer.url + '/', () => proxiedToOdd() > before)) aborted++;
      }
      expect(aborted).toBe(3);
      // Every aborted request released its count (a leak would keep this above zero for good).
      await waitFor(async () => (await backendViews(balancer)).every((v) => v.activeRequests === 0));

      // Resets: the request fails over to the demo backend; the odd one is marked down, then comes back.
      mode = 'reset';
      before = proxiedToOdd();
      const mark = outputMark(balancer);
      const reset = await sendMany(4, 1, () => httpRequest(balancer.url + '/'));
      expect(statusCounts(reset)).toEqual({ '200': 4 });
      expect(proxiedToOdd()).toBe(before + 1);
      mode = 'ok';
      await waitForNewOutput(balancer, new RegExp(`${escapeRegExp(odd.url)} is UP`), mark);

      // Had any of those requests leaked an active count on the odd backend, it would now get
      // nothing; with every count back at zero, ties alternate again.
      const ports = await serialPorts(balancer.url + '/', 20);
      expect(ports.filter((p) => p === odd.port)).toHaveLength(10);
      expect(ports.filter((p) => p === normal.port)).toHaveLength(10);
      const views = await backendViews(balancer);
      expect(views.map((v) => v.activeRequests)).toEqual([0, 0]);
    } finally {
      await odd.close();
    }
  });
});
