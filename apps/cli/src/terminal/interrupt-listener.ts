import { Injectable } from '@nestjs/common';

/** Signals raised by Ctrl-C (SIGINT) or SIGTERM while a long-running command is active. */
export interface Interrupts {
  /** Aborted on the first Ctrl-C: finish up. */
  stop: AbortSignal;
  /** Aborted on the second Ctrl-C: stop waiting, cancel what is in flight. */
  abort: AbortSignal;
  /** Stops listening; the default Ctrl-C behaviour is back. */
  dispose(): void;
}

/** Turns Ctrl-C into a clean stop for `make-request` and `watch` instead of killing the process. */
@Injectable()
export class InterruptListener {
  listen(): Interrupts {
    const stop = new AbortController();
    const abort = new AbortController();
    const onSignal = () => {
      if (!stop.signal.aborted) stop.abort();
      else abort.abort();
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    return {
      stop: stop.signal,
      abort: abort.signal,
      dispose: () => {
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
      },
    };
  }
}
