/**
 * The per-backend numbers every thread of a `--workers` balancer sees: one `SharedArrayBuffer`,
 * allocated by the main thread and handed to each worker thread. A backend gets a SLOT when it
 * joins (the main thread assigns it); a slot is reused only after its backend left and its active
 * count is back to 0.
 *
 * - `active[slot]`: requests in flight over every worker (`Atomics.add`/`sub`), what
 *   leastconnection and the API read;
 * - per worker ROW (one writer each, plain stores): its own in-flight count (so a crashed worker's
 *   share can be subtracted exactly), requests forwarded and failures; readers sum the rows;
 * - `consecutive5xx[slot]`: outlier detection's run of 5xx answers over every worker;
 * - a round-robin cursor (`Atomics.add`) so roundrobin is one rotation over all workers, and the
 *   smooth-WRR current weights behind a short spinlock.
 */
export class SharedSlots {
  readonly active: Int32Array;
  readonly consecutive5xx: Int32Array;
  readonly activeByWorker: Int32Array;
  readonly requestsByWorker: Float64Array;
  readonly failuresByWorker: Float64Array;
  /** [0]: the round-robin cursor; [1]: the WRR lock; [2]: the least-connection tie-break rotation. */
  readonly control: Uint32Array;
  readonly wrrCurrent: Float64Array;

  constructor(
    readonly buffer: SharedArrayBuffer,
    readonly capacity: number,
    readonly workers: number,
    /** This thread's row: the worker's index, or -1 on the main thread (which forwards nothing). */
    readonly row: number,
  ) {
    const layout = SharedSlots.layout(capacity, workers);
    this.active = new Int32Array(buffer, layout.active, capacity);
    this.consecutive5xx = new Int32Array(buffer, layout.consecutive5xx, capacity);
    this.activeByWorker = new Int32Array(buffer, layout.activeByWorker, capacity * workers);
    this.control = new Uint32Array(buffer, layout.control, 4);
    this.requestsByWorker = new Float64Array(buffer, layout.requestsByWorker, capacity * workers);
    this.failuresByWorker = new Float64Array(buffer, layout.failuresByWorker, capacity * workers);
    this.wrrCurrent = new Float64Array(buffer, layout.wrrCurrent, capacity);
  }

  /** A fresh region for `capacity` slots and `workers` rows (on the main thread). */
  static allocate(capacity: number, workers: number): SharedSlots {
    return new SharedSlots(new SharedArrayBuffer(SharedSlots.layout(capacity, workers).bytes), capacity, workers, -1);
  }

  private static layout(capacity: number, workers: number) {
    const int32 = capacity * 4;
    const active = 0;
    const consecutive5xx = active + int32;
    const activeByWorker = consecutive5xx + int32;
    const control = activeByWorker + int32 * workers;
    const float64Start = Math.ceil((control + 16) / 8) * 8;
    const requestsByWorker = float64Start;
    const failuresByWorker = requestsByWorker + capacity * 8 * workers;
    const wrrCurrent = failuresByWorker + capacity * 8 * workers;
    return {
      active,
      consecutive5xx,
      activeByWorker,
      control,
      requestsByWorker,
      failuresByWorker,
      wrrCurrent,
      bytes: wrrCurrent + capacity * 8,
    };
  }

  /** The same region seen from worker `row`. */
  forWorker(row: number): SharedSlots {
    return new SharedSlots(this.buffer, this.capacity, this.workers, row);
  }

  /** Requests forwarded to `slot` by every worker. */
  requests(slot: number): number {
    let n = 0;
    for (let w = 0; w < this.workers; w++) n += this.requestsByWorker[w * this.capacity + slot];
    return n;
  }

  failures(slot: number): number {
    let n = 0;
    for (let w = 0; w < this.workers; w++) n += this.failuresByWorker[w * this.capacity + slot];
    return n;
  }

  /** Main thread: a new backend's slot starts at zero everywhere. */
  reset(slot: number): void {
    Atomics.store(this.active, slot, 0);
    Atomics.store(this.consecutive5xx, slot, 0);
    this.wrrCurrent[slot] = 0;
    for (let w = 0; w < this.workers; w++) {
      const i = w * this.capacity + slot;
      Atomics.store(this.activeByWorker, i, 0);
      this.requestsByWorker[i] = 0;
      this.failuresByWorker[i] = 0;
    }
  }

  /**
   * Main thread, after worker `row` died: what it held in flight is subtracted from every slot,
   * so least-connections is not left skewed by requests that will never finish.
   */
  releaseWorker(row: number): number {
    let released = 0;
    for (let slot = 0; slot < this.capacity; slot++) {
      const i = row * this.capacity + slot;
      const held = Atomics.exchange(this.activeByWorker, i, 0);
      if (held !== 0) {
        Atomics.sub(this.active, slot, held);
        released += held;
      }
    }
    return released;
  }

  /** One step of the shared round-robin cursor. */
  nextTurn(): number {
    return Atomics.add(this.control, 0, 1);
  }

  /** One step of least-connection's shared tie-break rotation. */
  nextOffset(): number {
    return Atomics.add(this.control, 2, 1);
  }

  /** Takes the WRR lock: a spin on compareExchange (the critical section is a loop over the candidates). */
  lock(): void {
    while (Atomics.compareExchange(this.control, 1, 0, 1) !== 0) {
      // Another worker is inside a pick; it leaves within microseconds.
    }
  }

  unlock(): void {
    Atomics.store(this.control, 1, 0);
  }
}

/** Picks a free slot on the main thread: new ones first, then left ones whose active count is 0. */
export class SlotAllocator {
  private next = 0;
  private readonly left: number[] = [];

  constructor(private readonly slots: SharedSlots) {}

  take(): number {
    let slot = -1;
    if (this.next < this.slots.capacity) slot = this.next++;
    else {
      const i = this.left.findIndex((s) => Atomics.load(this.slots.active, s) === 0);
      if (i >= 0) slot = this.left.splice(i, 1)[0];
    }
    if (slot < 0) throw new RangeError('no free backend slot');
    this.slots.reset(slot);
    return slot;
  }

  release(slot: number): void {
    this.left.push(slot);
  }
}
