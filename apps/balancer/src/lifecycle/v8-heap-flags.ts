import { accessSync, constants } from 'node:fs';
import { isMainThread } from 'node:worker_threads';

/**
 * The young generation's cap and glibc's malloc arenas, applied before anything else loads
 * (main.ts imports this first).
 *
 * Under sustained load V8 keeps doubling the young generation up to 64 MiB semi-spaces: 128 MiB that
 * all get touched, so all of it stays in RSS, although a proxy's young objects die with their
 * request. Node takes the cap only as a command-line flag, and the flag is process-wide (it also
 * overrides a worker thread's `resourceLimits`), so a balancer started without one replaces its own
 * process image (`execve`: the same PID, arguments and environment) with one that has
 * `--max-semi-space-size=16`. The same relaunch sets `MALLOC_ARENA_MAX=2` unless the environment
 * has it: glibc otherwise gives each busy thread its own malloc arena (the worker threads and V8's
 * helpers), each of which keeps its high-water mark. Measured with the benchmark (docs/performance.md,
 * Memory): at c=256 one thread's RSS goes from about 255 MiB (V8's default) to about 200 MiB. A
 * smaller cap saves more at c=256 (4 MiB: about 173 MiB, and two workers near 300 MiB instead of
 * about 380), but at c=1000 requests live long enough to be promoted, and the balancer then ran
 * slower and bigger (8.5k requests a second and 328 MiB against 10.1k and 207 MiB with 16 MiB).
 * An operator's own `--max-semi-space-size`, on the command line or in NODE_OPTIONS, is left as it
 * is (and no relaunch happens), which is also how to run without the relaunch (in a sandbox that
 * forbids execve, say).
 *
 * Importing this file runs it: import it only from main.ts (never from a test in-process).
 */
const SEMI_SPACE_FLAG = '--max-semi-space-size';
const SEMI_SPACE_MIB = 16;
/** glibc's arena cap; the variable is read when the process starts, so it travels with the relaunch. */
const MALLOC_ARENAS = '2';

/** True when the flag is already set, by us or by the operator. */
function hasSemiSpaceFlag(execArgv: readonly string[], nodeOptions = ''): boolean {
  return [...execArgv, ...nodeOptions.split(/\s+/)].some((arg) => /^--max[-_]semi[-_]space[-_]size\b/.test(arg));
}

function relaunchWithSemiSpaceCap(): void {
  if (!isMainThread || typeof process.execve !== 'function') return;
  if (hasSemiSpaceFlag(process.execArgv, process.env.NODE_OPTIONS)) return;
  const args = [`${SEMI_SPACE_FLAG}=${SEMI_SPACE_MIB}`, ...process.execArgv, ...process.argv.slice(1)];
  try {
    // Node 24 aborts the process when execve(2) itself fails (later versions throw, caught below),
    // so first make sure Node's own binary can still be executed (it may have been replaced).
    accessSync(process.execPath, constants.X_OK);
    process.execve(process.execPath, [process.execPath, ...args], {
      ...process.env,
      MALLOC_ARENA_MAX: process.env.MALLOC_ARENA_MAX ?? MALLOC_ARENAS,
    });
  } catch {
    // Not executable, or execve refused: run on with V8's default sizing.
  }
}

relaunchWithSemiSpaceCap();
