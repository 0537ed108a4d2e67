import { get, type IncomingMessage } from 'node:http';
import request from 'supertest';
import type { AlgorithmView, BackendView, PoolChangeMessage, StatsHistoryMessage, StatsSnapshot } from '@loadex/api';

/** What the pool looks like from the outside, without counters and health-check times. */
export interface PoolShape {
  algorithm: string;
  backends: Array<Pick<BackendView, 'url' | 'weight' | 'state'>>;
}

export async function poolShape(adminUrl: string): Promise<PoolShape> {
  const [backends, algorithm] = await Promise.all([
    request(adminUrl).get('/api/backends').expect(200),
    request(adminUrl).get('/api/algorithm').expect(200),
  ]);
  return {
    algorithm: (algorithm.body as AlgorithmView).algorithm,
    backends: (backends.body as BackendView[]).map(({ url, weight, state }) => ({ url, weight, state })),
  };
}

export async function backendViews(adminUrl: string): Promise<BackendView[]> {
  return (await request(adminUrl).get('/api/backends').expect(200)).body as BackendView[];
}

export type AdminStreamEvent =
  | { type: 'history'; data: StatsHistoryMessage }
  | { type: 'stats'; data: StatsSnapshot }
  | { type: 'pool'; data: PoolChangeMessage };

/**
 * A client of `GET /api/events`: collects every event; `next(predicate)` waits (up to a generous
 * deadline) for the first event, from the start of the stream, that matches and was not taken yet.
 */
export class EventStreamClient {
  readonly events: AdminStreamEvent[] = [];
  ended = false;
  headers: IncomingMessage['headers'] = {};
  private buffer = '';
  private taken = 0;
  private response: IncomingMessage | undefined;

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
        res.on('data', (chunk: string) => client.feed(chunk));
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
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      for (let i = this.taken; i < this.events.length; i++) {
        if (predicate(this.events[i])) {
          this.taken = i + 1;
          return this.events[i];
        }
      }
      if (this.ended) throw new Error(`event stream ended; got ${this.describe()}`);
      if (Date.now() > deadline) throw new Error(`no matching event within ${timeoutMs} ms; got ${this.describe()}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  close(): void {
    this.response?.destroy();
  }

  private describe(): string {
    return this.events.map((e) => (e.type === 'pool' ? `pool:${e.data.type}` : e.type)).join(', ') || 'nothing';
  }

  private feed(chunk: string): void {
    this.buffer += chunk.replace(/\r\n?/g, '\n');
    let end: number;
    while ((end = this.buffer.indexOf('\n\n')) !== -1) {
      const block = this.buffer.slice(0, end);
      this.buffer = this.buffer.slice(end + 2);
      let type: string | undefined;
      const data: string[] = [];
      for (const line of block.split('\n')) {
        if (line.startsWith('event:')) type = line.slice(6).trim();
        else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''));
      }
      if ((type === 'history' || type === 'stats' || type === 'pool') && data.length) {
        this.events.push({ type, data: JSON.parse(data.join('\n')) } as AdminStreamEvent);
      }
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
