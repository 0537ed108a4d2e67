import { Injectable } from '@nestjs/common';
import { setTimeout as sleep } from 'node:timers/promises';
import { AdminApiClient } from '../api/admin-api-client';
import { type AdminEvent, AdminEventsClient } from '../api/admin-events-client';
import { CliFailure, ConnectionFailure } from '../errors/cli-failure';
import { printFailureLine } from '../errors/report-failure';
import { ConsoleOutput } from '../output/console-output';
import { CliSettings } from '../settings/cli-settings';
import { InterruptListener } from '../terminal/interrupt-listener';
import { LiveScreen } from '../terminal/live-screen';
import { WatchFrameRenderer } from './watch-frame-renderer';
import { WatchState } from './watch-state';

/** Pause before reconnecting after the event stream dropped. */
const RECONNECT_DELAY_MS = 1000;

/** Where `watch` sends what it sees: the live screen, lines, or JSON lines. */
interface WatchSink {
  stats(state: WatchState): void;
  pool(state: WatchState, event: Extract<AdminEvent, { type: 'pool' }>): void;
  disconnected(state: WatchState): void;
}

/**
 * `loadex watch`: follows `/api/events` until Ctrl-C (or q), reconnecting if the stream drops. On a
 * terminal it is a full-screen table refreshed in place; piped, one line per event; with `--json`,
 * one JSON object per event.
 */
@Injectable()
export class WatchSession {
  constructor(
    private readonly api: AdminApiClient,
    private readonly events: AdminEventsClient,
    private readonly settings: CliSettings,
    private readonly renderer: WatchFrameRenderer,
    private readonly output: ConsoleOutput,
    private readonly screen: LiveScreen,
    private readonly interrupts: InterruptListener,
  ) {}

  async run(): Promise<void> {
    const state = new WatchState();
    state.applyStats(await this.api.stats());
    const interrupts = this.interrupts.listen();
    const quit = new AbortController();
    const stop = AbortSignal.any([interrupts.stop, quit.signal]);
    const sink = this.settings.interactive ? this.screenSink() : this.settings.json ? this.jsonSink() : this.lineSink();
    if (this.settings.interactive) this.screen.start(() => quit.abort());
    try {
      if (this.settings.interactive) sink.stats(state); // piped output starts with the stream's first snapshot
      await this.follow(state, sink, stop);
    } finally {
      this.screen.close();
      interrupts.dispose();
    }
  }

  /** Reads the event stream until `stop`; a dropped stream is retried, the first failure is fatal. */
  private async follow(state: WatchState, sink: WatchSink, stop: AbortSignal): Promise<void> {
    let everConnected = false;
    while (!stop.aborted) {
      const reportedReason = state.disconnectedBecause;
      try {
        for await (const event of this.events.events(stop)) {
          everConnected = true;
          if (event.type === 'stats') {
            state.applyStats(event.snapshot);
            sink.stats(state);
          } else {
            state.applyPoolChange(event.change);
            sink.pool(state, event);
          }
        }
        if (stop.aborted) return;
        state.disconnectedBecause = 'the balancer closed the stream';
      } catch (err) {
        if (stop.aborted) return;
        if (!everConnected || !(err instanceof CliFailure)) throw err;
        state.disconnectedBecause = err instanceof ConnectionFailure ? err.reason : err.message;
      }
      if (state.disconnectedBecause !== reportedReason) sink.disconnected(state); // once per outage and reason
      await sleep(RECONNECT_DELAY_MS, undefined, { signal: stop }).catch(() => undefined);
    }
  }

  private screenSink(): WatchSink {
    const draw = (state: WatchState) => this.screen.draw(this.renderer.frame(state));
    return { stats: draw, pool: draw, disconnected: draw };
  }

  private lineSink(): WatchSink {
    return {
      stats: (state) => this.output.line(this.renderer.statsLine(state)),
      pool: (state) => {
        const latest = state.recent[0];
        if (latest) this.output.line(this.renderer.poolChangeLine(latest));
      },
      disconnected: (state) => printFailureLine(`connection lost (${state.disconnectedBecause}), reconnecting`),
    };
  }

  private jsonSink(): WatchSink {
    return {
      stats: (state) => this.output.jsonLine({ event: 'stats', data: state.snapshot }),
      pool: (_state, event) => this.output.jsonLine({ event: 'pool', data: event.change }),
      disconnected: (state) => printFailureLine(`connection lost (${state.disconnectedBecause}), reconnecting`),
    };
  }
}
