#!/usr/bin/env node
// The per-request shared-memory work of `--workers N`, measured under N threads (issue 18):
// acquire (Atomics.add on the slot's in-flight count, two plain stores in the worker's own row),
// one round-robin turn (Atomics.add on the shared cursor) and release (Atomics.sub, one plain store),
// plus the traffic ring's publish (five stores, one Atomics.store). Also: the same with every thread
// on its OWN cursor and counters (no sharing), and the smooth-WRR pick under the spinlock.
//
//   node bench/shared-counters.js [iterations per thread]     (threads 1, 2, 4, 8)
//
// Each figure is ns per simulated request per thread; total throughput = threads / ns.
const { Worker, isMainThread, workerData, parentPort } = require('node:worker_threads');

const SLOTS = 4;
const STRIDE = 16; // own cursors/counters one cache line (64 bytes) apart when not shared

function run({ buffer, row, iterations, mode }) {
  const active = new Int32Array(buffer, 0, 64 * STRIDE);
  const control = new Uint32Array(buffer, 64 * STRIDE * 4, 64 * STRIDE);
  const rows = new Float64Array(buffer, 128 * STRIDE * 4, 64 * SLOTS * 2);
  const wrr = new Float64Array(buffer, 128 * STRIDE * 4 + 64 * SLOTS * 2 * 8, SLOTS);
  const ring = new Int32Array(1 << 16);
  const cursor = mode === 'private' ? (row + 1) * STRIDE : 0;
  const base = mode === 'private' ? row * STRIDE : 0;
  let tail = 0;
  let sink = 0;
  const start = process.hrtime.bigint();
  for (let i = 0; i < iterations; i++) {
    let slot;
    if (mode === 'wrr') {
      while (Atomics.compareExchange(control, 1, 0, 1) !== 0);
      let best = 0;
      let bestValue = -Infinity;
      for (let s = 0; s < SLOTS; s++) {
        const v = wrr[s] + 1;
        wrr[s] = v;
        if (v > bestValue) {
          bestValue = v;
          best = s;
        }
      }
      wrr[best] = bestValue - SLOTS;
      Atomics.store(control, 1, 0);
      slot = best;
    } else {
      slot = Atomics.add(control, cursor, 1) % SLOTS;
    }
    const a = base + slot * (mode === 'private' ? 1 : STRIDE);
    Atomics.add(active, a, 1);
    rows[row * SLOTS * 2 + slot]++;
    rows[row * SLOTS * 2 + SLOTS + slot]++;
    // the ring entry: four ints, one float (here: ints), then the publishing store
    const e = (tail & 0x3fff) * 4;
    ring[e] = 0;
    ring[e + 1] = slot;
    ring[e + 2] = 200;
    ring[e + 3] = i;
    tail++;
    Atomics.store(control, 62 * STRIDE + row, tail);
    Atomics.sub(active, a, 1);
    sink += slot;
  }
  const ns = Number(process.hrtime.bigint() - start) / iterations;
  return { ns, sink };
}

if (!isMainThread) {
  parentPort.postMessage(run(workerData));
} else {
  const iterations = Number(process.argv[2] ?? 5_000_000);
  const bytes = 128 * STRIDE * 4 + 64 * SLOTS * 2 * 8 + SLOTS * 8;
  (async () => {
    console.log(`shared-counters: ${iterations} simulated requests per thread, ns per request per thread (median of 3)`);
    for (const mode of ['shared', 'private', 'wrr']) {
      for (const threads of [1, 2, 4, 8]) {
        const runs = [];
        for (let r = 0; r < 3; r++) {
          const buffer = new SharedArrayBuffer(bytes);
          const results = await Promise.all(
            Array.from(
              { length: threads },
              (_, row) =>
                new Promise((resolve, reject) => {
                  const w = new Worker(__filename, { workerData: { buffer, row, threads, iterations, mode } });
                  w.once('message', resolve);
                  w.once('error', reject);
                }),
            ),
          );
          runs.push(results.reduce((n, x) => n + x.ns, 0) / threads);
        }
        runs.sort((a, b) => a - b);
        const ns = runs[1];
        console.log(
          `${mode.padEnd(8)} threads=${threads}  ${ns.toFixed(1).padStart(6)} ns/request/thread  ` +
            `${((threads / ns) * 1000).toFixed(1).padStart(6)} M requests/s in all`,
        );
      }
    }
  })();
}
