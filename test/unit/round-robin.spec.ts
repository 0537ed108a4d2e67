import { RoundRobin } from '@loadex/algorithms';
import { Backend } from '@loadex/pool';

describe('smoke', () => {
  it('rotates', () => {
    const bs = [new Backend(new URL('http://a:1')), new Backend(new URL('http://b:1'))];
    const rr = new RoundRobin();
    expect([rr.pick(bs), rr.pick(bs), rr.pick(bs)].map((b) => b?.url)).toEqual([
      'http://a:1',
      'http://b:1',
      'http://a:1',
    ]);
  });
});
