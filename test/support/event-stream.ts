import { get, type IncomingMessage } from 'node:http';
import { createParser, type EventSourceMessage } from 'eventsource-parser';
import type { PoolChangeMessage, StatsHistoryMessage, StatsSnapshot } from '@loadex/api';
import { waitFor } from './http';

export type AdminStreamEvent =
  | { type: 'history'; data: StatsHistoryMessage }
  | { type: 'stats'; data: StatsSnapshot }
  | { type: 'pool'; data: PoolChangeMessage };

/**
 * The one SSE reader: a client of `GET /api/events` that collects every event (parsed by
 * eventsource-parser, as the CLI does); `next(predicate)` waits (up to a generous deadline) for the
 * first event, from the start of the stream, that matches and was not taken yet.
 */
export class EventStreamClient {
  readonly events: AdminStreamEvent[] = [];
  ended = false;
  headers: IncomingMessage['headers'] = {};
  private taken = 0;
  private response: IncomingMessage | undefined;
  private readonly parser = createParser({ onEvent: (message) => this.collect(message) });

  private constructor() {}

  static connect(adminUrl: string): Promise<EventStreamClient> {
    const client = new EventStreamClient();
    return new Promise((resolve, reject) => {
      const req = get(`${adminUrl}/api/events`, { headers: { accept: 'text/event-stream' } }, (res) => {
        client.response = res;
        client.headers = res.headers;
        if (res.statusCode !== 200) {
          reject(new Error(`GET /api/events: ${res.statusCode}`));
          res.resume();
          return;
        }
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => client.parser.feed(chunk));
        res.on('end', () => (client.ended = true));
        res.on('error', () => (client.ended = true));
        res.on('close', () => (client.ended = true));
        resolve(client);
      });
      req.on('error', reject);
    });
  }

  /** Waits for the next event (after those already returned) that matches. */
  async next<T extends AdminStreamEvent>(
    predicate: (event: AdminStreamEvent) => event is T,
    timeoutMs?: number,
  ): Promise<T>;
  async next(predicate: (event: AdminStreamEvent) => boolean, timeoutMs?: number): Promise<AdminStreamEvent>;
  async next(predicate: (event: AdminStreamEvent) => boolean, timeoutMs = 15_000): Promise<AdminStreamEvent> {
    let found: AdminStreamEvent | undefined;
    await waitFor(
      () => {
        for (let i = this.taken; i < this.events.length && !found; i++) {
          if (predicate(this.events[i])) {
            this.taken = i + 1;
            found = this.events[i];
          }
        }
        if (!found && this.ended) throw new Error(`event stream ended; got ${this.describe()}`);
        return found !== undefined;
      },
      timeoutMs,
      20,
      () => `a matching event (got ${this.describe()})`,
    );
    return found!;
  }

  close(): void {
    this.response?.destroy();
  }

  private describe(): string {
    return this.events.map((e) => (e.type === 'pool' ? `pool:${e.data.type}` : e.type)).join(', ') || 'nothing';
  }

  private collect({ event, data }: EventSourceMessage): void {
    if (event === 'history' || event === 'stats' || event === 'pool') {
      this.events.push({ type: event, data: JSON.parse(data) } as AdminStreamEvent);
    }
  }
}

/**
 * The `history` event a new stream opens with, read again on new connections until `enough` says
 * it holds what the test needs (bounded: 50 connections, 200 ms apart); the last one read if never.
 */
export async function historyWhen(
  baseUrl: string,
  enough: (history: StatsHistoryMessage) => boolean,
): Promise<StatsHistoryMessage> {
  let history: StatsHistoryMessage = { points: [] };
  for (let i = 0; i < 50; i++) {
    const stream = await EventStreamClient.connect(baseUrl);
    const first = await stream.next((e) => e.type === 'history');
    stream.close();
    if (first.type === 'history') history = first.data;
    if (enough(history)) break;
    await new Promise((r) => setTimeout(r, 200));
  }
  return history;
}
