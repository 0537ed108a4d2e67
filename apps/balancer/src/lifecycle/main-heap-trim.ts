import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

type GcFunction = (options: { type: 'major'; execution: 'sync'; flavor: 'last-resort' }) => void;

/** After the workers are up: long enough for start-up's garbage to be done with, short of a test's first scrape. */
const TRIM_DELAY_MS = 1000;

/**
 * With --workers N the main thread is the control plane: it allocates little once it has started,
 * but start-up (Nest, the OpenAPI document, the workers' start data) grew its young generation to
 * the 16 MiB semi-space cap (32 MiB of RSS) and left old-space garbage, which V8 keeps committed
 * while allocation stays low. One memory-reducing full collection (V8's "last resort" flavour, the
 * one it runs before giving up on memory) shrinks the young generation to 1 MiB and compacts the
 * old space: about 40 MiB less RSS, measured in docs/performance.md ("Memory, a third time").
 * `gc` is reached the way Node's documentation shows, through a flag set at run time and a fresh
 * context, so the process needs no --expose-gc and no global `gc`. Runs once, off the start-up path.
 */
export function trimMainHeapSoon(): void {
  setTimeout(() => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as GcFunction;
    gc({ type: 'major', execution: 'sync', flavor: 'last-resort' });
  }, TRIM_DELAY_MS).unref();
}
