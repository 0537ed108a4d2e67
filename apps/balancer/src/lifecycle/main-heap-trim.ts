import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

type GcFunction = (options: { type: 'major'; execution: 'sync'; flavor: 'last-resort' }) => void;

/** How long after the workers are up: start-up's objects are garbage by then. */
const TRIM_DELAY_MS = 1000;

/**
 * With --workers N the main thread is the control plane: it allocates little once it has started,
 * but start-up (Nest, the OpenAPI document, the workers' start data) grew its young generation to
 * the 16 MiB semi-space cap (32 MiB of RSS) and left old-space garbage, which V8 keeps committed
 * while allocation stays low. One memory-reducing full collection (V8's "last resort" flavour, the
 * one it runs before giving up on memory) shrinks the young generation to 1 MiB and compacts the
 * old space: new space 32 → 0.3 MiB, old space 40 → 25–28 MiB, and it stays there under load
 * (docs/performance.md, "Memory, a third time"). `gc` comes from a flag set at run time
 * (`v8.setFlagsFromString`) and a fresh `vm` context, which then has it, so the process needs no
 * --expose-gc and gets no global `gc`. Runs once, off the start-up path (about 150 ms).
 */
export function trimMainHeapSoon(): void {
  setTimeout(() => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as GcFunction;
    gc({ type: 'major', execution: 'sync', flavor: 'last-resort' });
  }, TRIM_DELAY_MS).unref();
}
