import type { Backend } from '@loadex/pool';

/** What an algorithm may know about the request it places. */
export interface RequestInfo {
  /** The client address: the socket peer, or the first X-Forwarded-For hop with --trust-proxy. */
  clientIp: string;
}

/**
 * A selection policy: picks one backend from the candidates the pool says are routable.
 * It never does I/O and never forwards; the proxy owns retries, the pool owns health.
 */
export interface Algorithm {
  readonly name: AlgorithmName;
  pick(candidates: readonly Backend[], request: RequestInfo): Backend | undefined;
}

export const ALGORITHM_NAMES = ['roundrobin', 'weightedroundrobin', 'leastconnection', 'iphash'] as const;

export type AlgorithmName = (typeof ALGORITHM_NAMES)[number];

const ALIASES: Readonly<Record<string, AlgorithmName>> = {
  roundrobin: 'roundrobin',
  rr: 'roundrobin',
  weightedroundrobin: 'weightedroundrobin',
  wrr: 'weightedroundrobin',
  leastconnection: 'leastconnection',
  leastconnections: 'leastconnection',
  lc: 'leastconnection',
  iphash: 'iphash',
  ip: 'iphash',
};

export const ALGORITHM_CHOICES = 'roundrobin (rr), weightedroundrobin (wrr), leastconnection (lc), iphash (ip)';

/** Resolves a name or alias, case-insensitively; undefined when unknown. */
export function resolveAlgorithmName(text: string): AlgorithmName | undefined {
  return ALIASES[text.trim().toLowerCase()];
}
