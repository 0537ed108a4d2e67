import type { BalancerConfig } from '../../apps/balancer/src/config/balancer-config';
import { MIN_RETRIES_PER_SECOND, RetryBudget } from '../../apps/balancer/src/proxy/retry-budget';

const budgetOf = (percent: number) => new RetryBudget({ retryBudgetPercent: percent } as BalancerConfig);

/** `n` first attempts spread over the second that starts at `fromMs`. */
function traffic(budget: RetryBudget, fromMs: number, n: number): void {
  for (let i = 0; i < n; i++) budget.requestStarted(fromMs + (i * 1000) / n);
}

/** How many of `n` retries asked for at once, at `nowMs` with `inFlight` requests in flight, are allowed. */
function burst(budget: RetryBudget, n: number, inFlight: number, nowMs: number): number {
  let allowed = 0;
  for (let i = 0; i < n; i++) if (budget.tryStart(inFlight, nowMs)) allowed++;
  return allowed;
}

describe('RetryBudget (--retry-budget)', () => {
  it('lets through a one-time burst bigger than its share of the requests in flight when the recent traffic had few retries', () => {
    const budget = budgetOf(20);
    // Ten seconds of 9,000 requests a second, then a dead backend's 30 retries at once with 64 in flight:
    // Envoy's cap alone (20 % of 64 = 12.8, plus the floor) would refuse 14 of them.
    for (let s = 0; s < 10; s++) traffic(budget, 100_000 + s * 1000, 9000);
    expect(burst(budget, 30, 64, 110_000)).toBe(30);
  });

  it('bounds a sustained storm to its share of the traffic, beyond the floor', () => {
    const budget = budgetOf(20);
    let allowed = 0;
    let asked = 0;
    // 30 s in which every request fails once and asks for a retry; the retries do not end, so the
    // concurrency cap is spent too (100 requests in flight: 20 retries).
    for (let s = 0; s < 30; s++) {
      const at = 200_000 + s * 1000;
      for (let i = 0; i < 1000; i++) {
        budget.requestStarted(at + i);
        asked++;
        if (budget.tryStart(100, at + i)) allowed++;
      }
    }
    // 20 % of the requests, plus at most the floor's 3 a second.
    expect(allowed).toBeGreaterThanOrEqual(0.2 * asked - 1);
    expect(allowed).toBeLessThanOrEqual(0.2 * asked + 20 + 30 * MIN_RETRIES_PER_SECOND);
    expect(budget.retriesInFlight).toBe(allowed);
  });

  it('forgets retries older than the window', () => {
    const budget = budgetOf(20);
    traffic(budget, 300_000, 100);
    // 20 % of that second's 100 requests; the floor's 3 are among them (it counts every retry of the second).
    expect(burst(budget, 50, 0, 300_999)).toBe(20);
    // 11 s later the requests and retries of that second have left the window: only the floor is left.
    expect(burst(budget, 10, 0, 311_500)).toBe(MIN_RETRIES_PER_SECOND);
    traffic(budget, 312_000, 100);
    // 20 of the window's 100 requests, 3 of them already taken at 311.5 s.
    expect(burst(budget, 50, 0, 312_999)).toBe(17);
  });

  it('at 0 % allows only the floor, 3 retries a second', () => {
    const budget = budgetOf(0);
    traffic(budget, 400_000, 1000);
    expect(burst(budget, 10, 1000, 400_500)).toBe(MIN_RETRIES_PER_SECOND);
    expect(burst(budget, 10, 1000, 401_500)).toBe(MIN_RETRIES_PER_SECOND);
  });

  it('at 100 % refuses nothing while retries stay below the requests', () => {
    const budget = budgetOf(100);
    traffic(budget, 500_000, 50);
    expect(burst(budget, 50, 50, 500_999)).toBe(50);
  });

  it('starts right at process start (the clock near 0)', () => {
    const budget = budgetOf(20);
    traffic(budget, 0, 50);
    expect(burst(budget, 20, 0, 900)).toBe(10);
  });
});
