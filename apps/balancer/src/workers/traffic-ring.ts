import { METHODS } from 'node:http';

/**
 * One worker's traffic events on their way to the main thread's metrics and stats: a
 * single-producer single-consumer ring in a `SharedArrayBuffer`. The worker writes an entry and
 * publishes it with one `Atomics.store`; the main thread reads what was published (every few ms
 * and right before /metrics or /api/stats answer) and replays it into its `TrafficObserver`, so
 * every metric is exact for the whole process and nothing is posted per request.
 */
export const RING_ENTRIES = 1 << 16;
const MASK = RING_ENTRIES - 1;
const INT_FIELDS = 4;
/** Header (Int32): [0] head (read up to, main), [1] tail (written up to, worker), [2] dropped. */
const HEAD = 0;
const TAIL = 1;
const DROPPED = 2;
const HEADER_BYTES = 16;

export const enum RingEvent {
  Finished = 0,
  Retried = 1,
  UpstreamError = 2,
  RetryRefused = 3,
}

/** Every method node:http parses has a code (its index in `http.METHODS`). */
const METHOD_CODES: ReadonlyMap<string, number> = new Map(METHODS.map((m, i) => [m, i]));
const OTHER_METHOD = 'OTHER';
export const UPSTREAM_KINDS = ['refused', 'reset', 'timeout', 'other'] as const;

export type RingReader = (event: RingEvent, slot: number, code: number, status: number, seconds: number) => void;

export class TrafficRing {
  private readonly header: Int32Array;
  private readonly ints: Int32Array;
  private readonly seconds: Float64Array;

  constructor(readonly buffer: SharedArrayBuffer) {
    this.header = new Int32Array(buffer, 0, 4);
    this.ints = new Int32Array(buffer, HEADER_BYTES, RING_ENTRIES * INT_FIELDS);
    this.seconds = new Float64Array(buffer, HEADER_BYTES + RING_ENTRIES * INT_FIELDS * 4, RING_ENTRIES);
  }

  static allocate(): TrafficRing {
    return new TrafficRing(new SharedArrayBuffer(HEADER_BYTES + RING_ENTRIES * (INT_FIELDS * 4 + 8)));
  }

  /** Worker: one event; when the main thread is a whole ring behind, the event is counted as dropped. */
  write(event: RingEvent, slot: number, code: number, status: number, seconds: number): void {
    const tail = this.header[TAIL];
    if (((tail - Atomics.load(this.header, HEAD)) | 0) >= RING_ENTRIES) {
      Atomics.add(this.header, DROPPED, 1);
      return;
    }
    const i = tail & MASK;
    const base = i * INT_FIELDS;
    this.ints[base] = event;
    this.ints[base + 1] = slot;
    this.ints[base + 2] = code;
    this.ints[base + 3] = status;
    this.seconds[i] = seconds;
    Atomics.store(this.header, TAIL, (tail + 1) | 0);
  }

  /** Main thread: replays every published event; returns how many. */
  drain(read: RingReader): number {
    const tail = Atomics.load(this.header, TAIL);
    let head = this.header[HEAD];
    let n = 0;
    while (head !== tail) {
      const i = head & MASK;
      const base = i * INT_FIELDS;
      read(
        this.ints[base] as RingEvent,
        this.ints[base + 1],
        this.ints[base + 2],
        this.ints[base + 3],
        this.seconds[i],
      );
      head = (head + 1) | 0;
      n++;
    }
    Atomics.store(this.header, HEAD, head);
    return n;
  }

  /** Events lost because the ring was full (never expected: the main thread reads every few ms). */
  get dropped(): number {
    return Atomics.load(this.header, DROPPED);
  }

  /** Main thread, after its worker died and the ring was drained: a fresh start for the next one. */
  reset(): void {
    Atomics.store(this.header, HEAD, 0);
    Atomics.store(this.header, TAIL, 0);
  }
}

export function methodCode(method: string): number {
  return METHOD_CODES.get(method) ?? METHODS.length;
}

export function methodOf(code: number): string {
  return code < METHODS.length ? METHODS[code] : OTHER_METHOD;
}
