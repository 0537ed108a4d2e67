import type { IncomingMessage } from 'node:http';
import type { BalancerConfig } from '../../apps/balancer/src/config/balancer-config';
import { ProxyAttempt } from '../../apps/balancer/src/proxy/proxy-attempt';
import { UpstreamDeadlines } from '../../apps/balancer/src/proxy/transport/upstream-deadlines';
import { UpstreamTimeoutError } from '../../apps/balancer/src/proxy/transport/upstream-error';

/** An attempt whose transport exchange only records how it was aborted. */
function sentAttempt(): ProxyAttempt & { destroyedWith: Error[] } {
  const req = { method: 'GET', url: '/', headers: {} } as unknown as IncomingMessage;
  const attempt = new ProxyAttempt('127.0.0.1', req, null) as ProxyAttempt & { destroyedWith: Error[] };
  attempt.destroyedWith = [];
  attempt.exchange = { abort: (err: Error) => attempt.destroyedWith.push(err) };
  return attempt;
}

describe('UpstreamDeadlines: --upstream-timeout for the response headers and between body chunks', () => {
  let deadlines: UpstreamDeadlines;
  beforeEach(() => {
    jest.useFakeTimers();
    // 1 s timeout: the sweep ticks every 50 ms.
    deadlines = new UpstreamDeadlines({ upstreamTimeoutMs: 1000 } as BalancerConfig);
    deadlines.onModuleInit();
  });
  afterEach(() => {
    deadlines.onModuleDestroy();
    jest.useRealTimers();
  });

  it('times out the attempts still waiting, never early, and leaves the ones that got their headers', () => {
    const [a, b, c] = [sentAttempt(), sentAttempt(), sentAttempt()];
    for (const attempt of [a, b, c]) deadlines.arm(attempt);
    deadlines.disarm(b); // b's headers arrived

    jest.advanceTimersByTime(1000);
    expect([a, b, c].map((x) => x.destroyedWith.length)).toEqual([0, 0, 0]);

    jest.advanceTimersByTime(200);
    expect(a.destroyedWith).toEqual([expect.any(UpstreamTimeoutError)]);
    expect(c.destroyedWith).toEqual([expect.any(UpstreamTimeoutError)]);
    expect(b.destroyedWith).toEqual([]);

    jest.advanceTimersByTime(2000); // swept once: nothing is timed out twice
    expect([a, b, c].map((x) => x.destroyedWith.length)).toEqual([1, 0, 1]);
  });

  it('gives an attempt sent later its own, later deadline', () => {
    const early = sentAttempt();
    const late = sentAttempt();
    deadlines.arm(early);
    jest.advanceTimersByTime(600);
    deadlines.arm(late);

    jest.advanceTimersByTime(600);
    expect(early.destroyedWith).toHaveLength(1);
    expect(late.destroyedWith).toHaveLength(0);

    jest.advanceTimersByTime(600);
    expect(late.destroyedWith).toHaveLength(1);
    expect(early.destroyedWith).toHaveLength(1); // once only
  });

  it('keeps the list whole whichever attempt leaves, and a removed attempt holds no links', () => {
    const [a, b, c, d] = [sentAttempt(), sentAttempt(), sentAttempt(), sentAttempt()];
    for (const attempt of [a, b, c, d]) deadlines.arm(attempt);
    deadlines.disarm(a); // the front
    deadlines.disarm(c); // the middle
    deadlines.disarm(d); // the back
    deadlines.disarm(d); // twice is harmless
    for (const removed of [a, c, d]) {
      expect([removed.waiting, removed.previousWaiting, removed.nextWaiting]).toEqual([null, null, null]);
    }
    expect([b.previousWaiting, b.nextWaiting]).toEqual([null, null]);

    deadlines.arm(a);
    deadlines.arm(b); // re-armed (a retry): moves to the back instead of being listed twice
    expect([a.previousWaiting, a.nextWaiting, b.previousWaiting, b.nextWaiting]).toEqual([null, b, a, null]);

    jest.advanceTimersByTime(1200);
    expect([a, b, c, d].map((x) => x.destroyedWith.length)).toEqual([1, 1, 0, 0]);
    expect([a.nextWaiting, b.previousWaiting]).toEqual([null, null]);
  });

  it("times out a body that falls silent, as nginx's proxy_read_timeout does, and not one that keeps coming", () => {
    const [silent, flowing, finished] = [sentAttempt(), sentAttempt(), sentAttempt()];
    for (const attempt of [silent, flowing, finished]) deadlines.arm(attempt);
    jest.advanceTimersByTime(900); // headers came just in time for all three
    for (const attempt of [silent, flowing, finished]) deadlines.bodyDue(attempt);
    expect(silent.waiting).toBe('body');

    for (let i = 0; i < 8; i++) {
      jest.advanceTimersByTime(250);
      deadlines.bodyProgressed(flowing); // a chunk every 250 ms, for 2 s in all
      if (i === 0) {
        deadlines.bodyProgressed(finished);
        deadlines.disarm(finished); // its last chunk: the body ended
      }
    }

    expect(silent.destroyedWith).toEqual([expect.any(UpstreamTimeoutError)]);
    expect(flowing.destroyedWith).toEqual([]);
    expect(finished.destroyedWith).toEqual([]);
    expect([finished.waiting, finished.previousWaiting, finished.nextWaiting]).toEqual([null, null, null]);

    jest.advanceTimersByTime(1200); // the flow stopped: its own deadline, a timeout after its last chunk
    expect(flowing.destroyedWith).toEqual([expect.any(UpstreamTimeoutError)]);
    expect(silent.destroyedWith).toHaveLength(1);
  });

  it('keeps no body deadline while the response waits for a slow client', () => {
    const paused = sentAttempt();
    deadlines.arm(paused);
    deadlines.bodyDue(paused);
    deadlines.disarm(paused); // res.write() returned false: the backend is paused by us
    jest.advanceTimersByTime(5000);
    expect(paused.destroyedWith).toEqual([]);

    deadlines.bodyDue(paused); // drained: the backend may send again, and owes the next chunk
    jest.advanceTimersByTime(1200);
    expect(paused.destroyedWith).toEqual([expect.any(UpstreamTimeoutError)]);
  });
});
