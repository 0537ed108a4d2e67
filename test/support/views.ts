import type { BackendView } from '@loadex/api';

/** A `BackendView` as the admin API would send it for a fresh backend, with `change` applied. */
export function backendView(url: string, change: Partial<BackendView> = {}): BackendView {
  return {
    url,
    weight: 1,
    healthy: true,
    state: 'active',
    activeRequests: 0,
    totalRequests: 0,
    failures: 0,
    lastCheckAt: null,
    lastCheckMs: null,
    effectiveWeight: 1,
    outlier: { ejected: false, ejections: 0, until: null },
    ...change,
  };
}
