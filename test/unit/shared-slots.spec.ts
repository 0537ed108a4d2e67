import { RoundRobin, WeightedRoundRobin } from '@loadex/algorithms';
import { ServerPool, SharedSlots } from '@loadex/pool';

/**
 * The shared region behind --workers, in one thread: a main pool assigning slots and two worker
 * replicas (rows 0 and 1) counting into the same SharedArrayBuffer, as the worker threads do.
 */
describe('SharedSlots: pools on several threads counting into one region', () => {
  const urls = ['http://127.0.0.1:9001', 'http://127.0.0.1:9002', 'http://127.0.0.1:9003'];

  function setUp(weights = [1, 1, 1]) {
    const shared = SharedSlots.allocate(16, 2);
    const main = new ServerPool(undefined, shared);
    const workers = [0, 1].map((row) => new ServerPool(undefined, shared.forWorker(row)));
    urls.forEach((url, i) => {
      const { backend } = main.add(new URL(url), weights[i]);
      for (const w of workers) w.add(new URL(url), weights[i], backend.slot);
    });
    return { shared, main, workers };
  }

  it('in-flight and total counts are the sum over every worker, seen by every pool', () => {
    const { main, workers } = setUp();
    const [a, b] = workers.map((w) => w.get(urls[0])!);
    workers[0].acquire(a);
    workers[0].acquire(a);
    workers[1].acquire(b);
    for (const pool of [main, ...workers]) {
      expect(pool.get(urls[0])!.activeRequests).toBe(3);
      expect(pool.get(urls[0])!.totalRequests).toBe(3);
    }
    workers[1].release(b);
    workers[0].release(a);
    expect(main.get(urls[0])!.activeRequests).toBe(1);
    expect(main.activeRequests()).toBe(1);
    expect(main.get(urls[0])!.totalRequests).toBe(3);
  });

  it("a dead worker's in-flight requests are subtracted exactly, the other's stay", () => {
    const { shared, main, workers } = setUp();
    for (let i = 0; i < 4; i++) workers[0].acquire(workers[0].get(urls[1])!);
    workers[1].acquire(workers[1].get(urls[1])!);
    expect(shared.releaseWorker(0)).toBe(4);
    expect(main.get(urls[1])!.activeRequests).toBe(1);
    expect(shared.releaseWorker(0)).toBe(0);
  });

  it('round robin over two workers is one rotation', () => {
    const { shared, workers } = setUp();
    const rr = [new RoundRobin(shared.forWorker(0)), new RoundRobin(shared.forWorker(1))];
    const picks: string[] = [];
    for (let i = 0; i < 9; i++) {
      const w = [0, 1, 1, 0, 0, 0, 1, 0, 1][i];
      picks.push(rr[w].pick(workers[w].routable())!.url);
    }
    expect(picks).toEqual([...urls, ...urls, ...urls]);
  });

  it('smooth WRR over two workers interleaves 5,1,1 as one nginx sequence', () => {
    const { shared, workers } = setUp([5, 1, 1]);
    const wrr = [new WeightedRoundRobin(shared.forWorker(0)), new WeightedRoundRobin(shared.forWorker(1))];
    const picks = Array.from({ length: 7 }, (_, i) => wrr[i % 2].pick(workers[i % 2].routable())!.url.slice(-1));
    expect(picks.join('')).toBe('1121311');
  });

  it('a failure in a worker is counted in its row and reported to the main thread instead of decided there', () => {
    const { main, workers } = setUp();
    const reported: string[] = [];
    workers[1].delegateDecisions({
      markDown: (backend, reason) => reported.push(`${backend.url} ${reason}`),
      outlierRun: () => undefined,
    });
    workers[1].reportFailure(workers[1].get(urls[2])!, 'refused', true);
    expect(reported).toEqual([`${urls[2]} refused while proxying`]);
    expect(main.get(urls[2])!.failures).toBe(1);
    expect(main.get(urls[2])!.healthy).toBe(true); // the main thread decides (WorkerFleet → reportedDown)
    main.reportedDown(main.get(urls[2])!, 'refused while proxying');
    expect(main.get(urls[2])!.healthy).toBe(false);
  });

  it('a run of 5xx answers is counted over every worker; the one reaching the threshold tells the main thread once', () => {
    const { main, workers } = setUp();
    const policy = { consecutive5xx: 3, ejectionMs: 10_000, maxEjectedPercent: 50, flapWindowMs: 0 };
    main.setOutlierPolicy(policy);
    const runs: string[] = [];
    for (const w of workers) {
      w.setOutlierPolicy(policy);
      w.delegateDecisions({ markDown: () => undefined, outlierRun: (backend) => runs.push(backend.url) });
    }
    const on = (w: number) => workers[w].get(urls[0])!;
    workers[0].recordResponse(on(0), 500);
    workers[1].recordResponse(on(1), 500);
    workers[1].recordResponse(on(1), 200); // the run ends, on any worker
    workers[0].recordResponse(on(0), 500);
    workers[1].recordResponse(on(1), 500);
    expect(runs).toEqual([]);
    workers[0].recordResponse(on(0), 500);
    workers[1].recordResponse(on(1), 500);
    expect(runs).toEqual([urls[0]]);
    main.reportedOutlierRun(main.get(urls[0])!, '3 5xx answers in a row');
    expect(main.get(urls[0])!.ejected).toBe(true);
  });
});
