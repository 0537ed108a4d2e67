import {
  ALGORITHM_CHOICES,
  ALGORITHMS,
  type AlgorithmDeps,
  algorithmsMarkdownTable,
  createAlgorithm,
  describeAlgorithms,
  findAlgorithm,
  type RequestInfo,
} from '@loadex/algorithms';
import { Backend } from '@loadex/pool';
import { testDeps } from './seeded-random';

const deps = (seed: number): AlgorithmDeps => testDeps(seed);

function backends(n: number): Backend[] {
  return Array.from({ length: n }, (_, i) => new Backend(new URL(`http://10.0.0.${i + 1}:8000`)));
}

/** A different client, path, query, header and cookie each time. */
function request(i: number): RequestInfo {
  return {
    clientIp: `192.168.${(i >> 8) & 255}.${i & 255}`,
    url: `/item/${i}?id=${i}`,
    headers: { 'x-user': `user-${i}`, cookie: `sid=s${i}` },
  };
}

describe('the algorithm registry', () => {
  it('names and aliases are unique, lower-case, and each resolves to its entry', () => {
    const spellings = ALGORITHMS.flatMap((a) => [a.name, ...a.aliases]);
    expect(new Set(spellings).size).toBe(spellings.length);
    for (const a of ALGORITHMS) {
      for (const spelling of [a.name, ...a.aliases, a.name.toUpperCase()]) expect(findAlgorithm(spelling)).toBe(a);
      expect(a.name).toBe(a.name.toLowerCase());
      expect(a.description).toMatch(/^[A-Z].*\.$/);
      expect(a.title).not.toBe('');
    }
  });

  it('ALGORITHM_CHOICES, the JSON description and the README table list every entry', () => {
    const table = algorithmsMarkdownTable();
    expect(table.split('\n').slice(0, 2)).toEqual(['| algorithm | how it chooses |', '| --- | --- |']);
    expect(table.trimEnd().split('\n')).toHaveLength(ALGORITHMS.length + 2);
    for (const a of ALGORITHMS) {
      expect(ALGORITHM_CHOICES).toContain(a.name);
      for (const alias of a.aliases) expect(ALGORITHM_CHOICES).toContain(alias);
      const aliases = a.aliases.map((n) => `\`${n}\``).join(', ');
      expect(table).toContain(`| \`${a.name}\`${aliases ? ` (${aliases})` : ''} | ${a.description}`);
    }
    expect(describeAlgorithms().map((a) => a.name)).toEqual(ALGORITHMS.map((a) => a.name));
  });

  it('every option has a default, so every algorithm builds from {}', () => {
    for (const a of ALGORITHMS) {
      const parsed = a.options.parse({}) as Record<string, unknown>;
      expect(Object.keys(parsed)).toEqual(Object.keys(a.options.shape));
      expect(createAlgorithm(a.name).name).toBe(a.name);
    }
  });
});

describe.each(ALGORITHMS.map((a) => [a.name]))('%s (from the registry)', (name) => {
  it('returns undefined for zero candidates', () => {
    expect(createAlgorithm(name, {}, deps(1)).pick([], request(0))).toBeUndefined();
  });

  it('uses every candidate eventually, and only candidates', () => {
    const pool = backends(6);
    const algorithm = createAlgorithm(name, {}, deps(2));
    const used = new Set<Backend>();
    for (let i = 0; i < 2000 && used.size < pool.length; i++) {
      const picked = algorithm.pick(pool, request(i))!;
      expect(pool).toContain(picked);
      used.add(picked);
    }
    expect(used.size).toBe(pool.length);
  });

  it('is fully determined by its injected random source and clock', () => {
    const pool = backends(5);
    const run = () => {
      const algorithm = createAlgorithm(name, {}, deps(7));
      return Array.from({ length: 200 }, (_, i) => pool.indexOf(algorithm.pick(pool, request(i % 13))!));
    };
    expect(run()).toEqual(run());
  });
});
