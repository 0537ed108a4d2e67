import type { AlgorithmView, BackendView, StatsSnapshot } from '@loadex/api';
import type { Balancer } from './processes';

/**
 * The one admin-API client for tests that read the balancer's state directly (to check what a
 * command, a page or the proxy did). A target is a started balancer (its admin listener is used) or
 * a base URL. Tests of the admin API itself send their requests with supertest.
 */
export type AdminTarget = Balancer | string;

function baseUrl(target: AdminTarget): string {
  return typeof target === 'string' ? target : target.adminUrl;
}

/** GET `path` of the admin API; rejects unless it answers 2xx. */
export async function adminJson<T>(target: AdminTarget, path: string): Promise<T> {
  const url = `${baseUrl(target)}${path}`;
  const res = await fetch(url);
  if (!res.ok) throw new Error(`GET ${url}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

/** GET /api/backends: the balancer's view of every backend (weights, health, live counters). */
export const backendViews = (target: AdminTarget) => adminJson<BackendView[]>(target, '/api/backends');
/** GET /api/stats. */
export const statsSnapshot = (target: AdminTarget) => adminJson<StatsSnapshot>(target, '/api/stats');
/** GET /api/algorithm. */
export const algorithmView = (target: AdminTarget) => adminJson<AlgorithmView>(target, '/api/algorithm');

/** What the pool looks like from the outside, without counters and health-check times. */
export interface PoolShape {
  algorithm: string;
  backends: Array<Pick<BackendView, 'url' | 'weight' | 'state'>>;
}

export async function poolShape(target: AdminTarget): Promise<PoolShape> {
  const [backends, algorithm] = await Promise.all([backendViews(target), algorithmView(target)]);
  return {
    algorithm: algorithm.algorithm,
    backends: backends.map(({ url, weight, state }) => ({ url, weight, state })),
  };
}
