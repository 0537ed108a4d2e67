/**
 * 0.5 ms to 10 s: fine steps below 10 ms resolve the proxy's own sub-millisecond latency on a
 * fast network; the top buckets catch slow backends up to a typical upstream timeout.
 */
export const LATENCY_BUCKETS: readonly number[] = [
  0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
];
