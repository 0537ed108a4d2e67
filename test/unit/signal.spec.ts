import { Signal } from '@loadex/pool';

describe('Signal (the one event mechanism)', () => {
  it('calls every listener synchronously, in subscription order, with the arguments as given', () => {
    const signal = new Signal<[name: string, status: number, seconds: number]>();
    const calls: string[] = [];
    signal.on((name, status, seconds) => calls.push(`first ${name} ${status} ${seconds}`));
    signal.on((name) => calls.push(`second ${name}`));
    signal.emit('GET', 200, 0.5);
    expect(calls).toEqual(['first GET 200 0.5', 'second GET']);
  });

  it('passes up to four arguments through', () => {
    const signal = new Signal<[a: number, b: string, c: boolean, d: null]>();
    const seen: unknown[][] = [];
    signal.on((a, b, c, d) => seen.push([a, b, c, d]));
    signal.emit(1, 'two', true, null);
    expect(seen).toEqual([[1, 'two', true, null]]);
  });

  it('unsubscribes exactly the one subscription, once', () => {
    const signal = new Signal<[n: number]>();
    const seen: string[] = [];
    const listener = (n: number) => seen.push(`l${n}`);
    const offFirst = signal.on(listener);
    signal.on(listener);
    signal.on((n) => seen.push(`other${n}`));
    expect(signal.size).toBe(3);
    offFirst();
    offFirst();
    expect(signal.size).toBe(2);
    signal.emit(1);
    expect(seen).toEqual(['l1', 'other1']);
  });

  it('a listener may unsubscribe itself or another during an emit: that emit still reaches everyone', () => {
    const signal = new Signal<[]>();
    const seen: string[] = [];
    const offA: () => void = signal.on(() => {
      seen.push('a');
      offA();
      offB();
    });
    const offB = signal.on(() => seen.push('b'));
    signal.emit();
    signal.emit();
    expect(seen).toEqual(['a', 'b']);
    expect(signal.size).toBe(0);
  });

  it('an error in a listener reaches the emitter and stops that emit', () => {
    const signal = new Signal<[]>();
    const seen: string[] = [];
    signal.on(() => {
      throw new Error('listener failed');
    });
    signal.on(() => seen.push('after'));
    expect(() => signal.emit()).toThrow('listener failed');
    expect(seen).toEqual([]);
  });
});
