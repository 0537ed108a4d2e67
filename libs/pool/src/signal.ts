/** What a signal's listeners take: at most four arguments, passed on as they are. */
export type SignalArgs =
  [] | [unknown] | [unknown, unknown] | [unknown, unknown, unknown] | [unknown, unknown, unknown, unknown];

/** A listener as `emit` calls it: always four arguments, the ones not given undefined. */
type FixedListener = (a?: unknown, b?: unknown, c?: unknown, d?: unknown) => void;

/**
 * Loadex's one event mechanism (pool changes, pool-change messages, traffic): a typed list of
 * listeners that `emit` calls in order, synchronously and directly. It is on the data path (every
 * proxied request emits through one), so an emit allocates nothing: no argument array, no event
 * object, no iterator — a plain loop over an array that is replaced, never mutated, when listeners
 * come and go (so a listener may unsubscribe while an emit is running). A listener that throws
 * stops the emit and the error reaches the emitter, as with Node's EventEmitter.
 */
export class Signal<Args extends SignalArgs> {
  #listeners: readonly FixedListener[] = [];

  /** How many listeners are subscribed. */
  get size(): number {
    return this.#listeners.length;
  }

  /** Subscribes `listener`; returns the function that unsubscribes it (once; later calls do nothing). */
  on(listener: (...args: Args) => void): () => void {
    const entry = listener as FixedListener;
    this.#listeners = [...this.#listeners, entry];
    let subscribed = true;
    return () => {
      if (!subscribed) return;
      subscribed = false;
      const index = this.#listeners.indexOf(entry);
      this.#listeners = [...this.#listeners.slice(0, index), ...this.#listeners.slice(index + 1)];
    };
  }

  /** Calls every listener with `args`, in the order they subscribed. */
  emit(...args: Args): void;
  emit(a?: unknown, b?: unknown, c?: unknown, d?: unknown): void {
    const listeners = this.#listeners;
    for (let i = 0; i < listeners.length; i++) listeners[i](a, b, c, d);
  }
}
