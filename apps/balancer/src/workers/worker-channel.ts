import type { FromWorker } from './worker-protocol';

/** A worker thread's side of its port to the main thread (parentPort), injectable. */
export abstract class WorkerChannel {
  abstract post(message: FromWorker): void;
}
