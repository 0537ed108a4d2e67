import { Injectable } from '@nestjs/common';
import type { PoolChangeMessage, StatsSnapshot } from '@loadex/api';
import { EventSourceParserStream } from 'eventsource-parser/stream';
import { CliFailure, ConnectionFailure } from '../errors/cli-failure';
import { CliSettings } from '../settings/cli-settings';
import { AdminHttp } from './admin-http';
import { describeNetworkFailure, isAbort } from './network-failure';

/** One message of `GET /api/events`. */
export type AdminEvent = { type: 'stats'; snapshot: StatsSnapshot } | { type: 'pool'; change: PoolChangeMessage };

/**
 * Reads the balancer's Server-Sent Events stream (`GET /api/events`, produced by the balancer's
 * `AdminEventStream`): a `stats` snapshot every second and a `pool` message on every change.
 * Parsing of `text/event-stream` is eventsource-parser's.
 */
@Injectable()
export class AdminEventsClient {
  constructor(
    private readonly http: AdminHttp,
    private readonly settings: CliSettings,
  ) {}

  /**
   * Connects and yields events until the server ends the stream or `signal` aborts (then it just
   * returns). Failing to connect, or losing the connection, throws a CliFailure.
   */
  async *events(signal: AbortSignal): AsyncGenerator<AdminEvent> {
    const response = await this.http.open('GET', '/api/events', {
      headers: { accept: 'text/event-stream' },
      signal,
    });
    if (!response.body) throw new CliFailure(`GET /api/events on ${this.settings.baseUrl} sent no stream`);
    const messages = response.body.pipeThrough(new TextDecoderStream()).pipeThrough(new EventSourceParserStream());
    try {
      for await (const message of messages) {
        const event = this.toEvent(message.event, message.data);
        if (event) yield event;
      }
    } catch (err) {
      if (signal.aborted || isAbort(err)) return;
      const reason = describeNetworkFailure(err);
      throw new ConnectionFailure(`lost the event stream of ${this.settings.baseUrl} (${reason})`, reason);
    }
  }

  private toEvent(name: string | undefined, data: string): AdminEvent | undefined {
    try {
      if (name === 'stats') return { type: 'stats', snapshot: JSON.parse(data) as StatsSnapshot };
      if (name === 'pool') return { type: 'pool', change: JSON.parse(data) as PoolChangeMessage };
    } catch {
      // a malformed message is skipped; the next snapshot comes within a second
    }
    return undefined;
  }
}
