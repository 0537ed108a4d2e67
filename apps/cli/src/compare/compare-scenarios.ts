import type { BackendView } from '@loadex/api';
import { CliFailure } from '../errors/cli-failure';
import { sortByUrl } from '../output/sort-by-url';

/** The scenarios `compare` can set up, in the order help texts list them. */
export const SCENARIO_NAMES = ['skewed', 'flaky', 'uneven', 'hot-key'] as const;
export type ScenarioName = (typeof SCENARIO_NAMES)[number];

/** The header every request of a comparison carries, and the key `hash` runs with. */
export const KEY_HEADER = 'x-user';
export const HASH_KEY_OPTION = `header:${KEY_HEADER}`;
/** The one key most requests share in `hot-key`. */
export const HOT_KEY = 'hot-user';

/** Every backend answers this late, so requests overlap and in-flight counts mean something. */
const BASE_LATENCY_MS = 5;

/** What a scenario sets on one backend (the lab relay's latencyMs and failRate, and its weight). */
export interface BackendSetup {
  latencyMs: number;
  failRate: number;
  weight: number;
}

export interface Scenario {
  name: ScenarioName;
  /** False when every backend is set alike (the scenario is in the traffic, as in hot-key). */
  singlesOut: boolean;
  /** The backend the scenario singles out (the first routable one by URL). */
  singledOut: BackendSetup;
  /** Every other backend. */
  others: BackendSetup;
  /** Share of requests carrying HOT_KEY; the rest carry a key of their own. */
  hotKeyShare: number;
  /** One sentence: what is different about the singled-out backend (or the traffic). */
  describe(singledOut: string): string;
}

const EVEN: BackendSetup = { latencyMs: BASE_LATENCY_MS, failRate: 0, weight: 1 };

export const SCENARIOS: Readonly<Record<ScenarioName, Scenario>> = {
  skewed: {
    name: 'skewed',
    singlesOut: true,
    singledOut: { ...EVEN, latencyMs: 10 * BASE_LATENCY_MS },
    others: EVEN,
    hotKeyShare: 0,
    describe: (url) =>
      `${url} answers in ${10 * BASE_LATENCY_MS} ms, 10× slower than the others (${BASE_LATENCY_MS} ms)`,
  },
  flaky: {
    name: 'flaky',
    singlesOut: true,
    singledOut: { ...EVEN, failRate: 0.2 },
    others: EVEN,
    hotKeyShare: 0,
    describe: (url) => `${url} fails 20 % of its requests (HTTP 500); every backend answers in ${BASE_LATENCY_MS} ms`,
  },
  uneven: {
    name: 'uneven',
    singlesOut: true,
    singledOut: { ...EVEN, weight: 5 },
    others: EVEN,
    hotKeyShare: 0,
    describe: (url) => `${url} has weight 5, the others weight 1; every backend answers in ${BASE_LATENCY_MS} ms`,
  },
  'hot-key': {
    name: 'hot-key',
    singlesOut: false,
    singledOut: EVEN,
    others: EVEN,
    hotKeyShare: 0.8,
    describe: () =>
      `80 % of requests share one ${KEY_HEADER} key, the rest have keys of their own; every backend answers in ${BASE_LATENCY_MS} ms`,
  },
};

/** One backend as the scenario leaves it. */
export interface PlannedBackend extends BackendSetup {
  url: string;
  singledOut: boolean;
}

/**
 * The settings for every backend in the pool: the first routable backend by URL (healthy, not
 * draining) is singled out, when the scenario singles one out. A comparison needs two routable
 * backends at least.
 */
export function planScenario(scenario: Scenario, backends: readonly BackendView[]): PlannedBackend[] {
  const sorted = sortByUrl(backends);
  const routable = sorted.filter((b) => b.healthy && b.state === 'active');
  if (routable.length < 2) {
    throw new CliFailure(
      `compare needs at least 2 healthy, active backends in the pool (it has ${routable.length} of ${backends.length})`,
    );
  }
  const singledOut = scenario.singlesOut ? routable[0].url : undefined;
  return sorted.map((b) => ({
    url: b.url,
    singledOut: b.url === singledOut,
    ...(b.url === singledOut ? scenario.singledOut : scenario.others),
  }));
}

/**
 * The `x-user` header of the request with this index: the hot key for exactly `hotKeyShare` of
 * the requests, spread evenly through the run, and a key of its own for every other request. The
 * same index always gets the same key, so every algorithm sees the same traffic.
 */
export function keyHeadersFor(hotKeyShare: number): (index: number) => Record<string, string> {
  const hot = { [KEY_HEADER]: HOT_KEY };
  return (index) =>
    Math.floor((index + 1) * hotKeyShare) > Math.floor(index * hotKeyShare) ? hot : { [KEY_HEADER]: `user-${index}` };
}
