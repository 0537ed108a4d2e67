import type { AlgorithmView, BackendView, StatsSnapshot } from '@loadex/api';

/** Reads the balancer's admin API directly (not through the CLI), to check what the CLI claims. */
export async function getJson<T>(url: string): Promise<T> {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`GET ${url}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

export const getStats = (balancerUrl: string) => getJson<StatsSnapshot>(`${balancerUrl}/api/stats`);
export const getBackends = (balancerUrl: string) => getJson<BackendView[]>(`${balancerUrl}/api/backends`);
export const getAlgorithm = (balancerUrl: string) => getJson<AlgorithmView>(`${balancerUrl}/api/algorithm`);

/** Per-backend request counts the balancer reports. */
export function requestsByBackend(stats: StatsSnapshot): Map<string, number> {
  return new Map(stats.backends.map((b) => [b.url, b.requests]));
}
