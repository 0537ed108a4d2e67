// First: it may relaunch the process with V8's young generation capped (see the file).
import './lifecycle/v8-heap-flags';
import 'reflect-metadata';
import { isMainThread } from 'node:worker_threads';
import type * as MainThread from './main-thread';
import { StateFileError } from './state/state-file-error';
import { StoreStartError } from './store/store-errors';
import type * as WorkerMain from './workers/worker-main';

/**
 * One bundle, two roles: the main thread (main-thread.ts: admin, health checks, and the proxy with
 * --workers 1) or a data-plane worker thread (workers/worker-main.ts). Each side is loaded only
 * where it runs, so a worker thread never evaluates the admin API, the dashboard or the store.
 */
async function start(): Promise<void> {
  /* eslint-disable @typescript-eslint/no-require-imports -- evaluated only on the thread that needs it */
  if (isMainThread) {
    const main = require('./main-thread') as typeof MainThread;
    await main.bootstrap();
  } else {
    // The main thread validated the configuration and handed it over: no flag or file parsing here.
    const worker = require('./workers/worker-main') as typeof WorkerMain;
    await worker.runWorker();
  }
  /* eslint-enable @typescript-eslint/no-require-imports */
}

start().catch((err: unknown) => {
  // A corrupt or unreadable --state-file, an unreachable --store: one line naming it, before anything listens.
  if (err instanceof StateFileError || err instanceof StoreStartError) {
    process.stderr.write(`loadbalancer: ${err.message}\n`);
    process.exit(2);
  }
  throw err;
});
