import type { BackendView } from '@loadex/api';
import type { Backend } from '@loadex/pool';

/** A backend as the admin API shows it. */
export function toBackendView(backend: Backend): BackendView {
  return {
    url: backend.url,
    weight: backend.weight,
    healthy: backend.healthy,
    state: backend.state,
    activeRequests: backend.activeRequests,
    totalRequests: backend.totalRequests,
    failures: backend.failures,
    lastCheckAt: backend.lastCheckAt?.toISOString() ?? null,
    lastCheckMs: backend.lastCheckMs,
    effectiveWeight: Math.round(backend.effectiveWeight * 100) / 100,
    outlier: {
      ejected: backend.ejected,
      ejections: backend.ejections,
      until: backend.ejected ? new Date(backend.ejectionEndsAt).toISOString() : null,
    },
  };
}
