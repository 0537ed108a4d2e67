import { Inject, Injectable } from '@nestjs/common';
import type { ClusterBackendStats } from '@loadex/api';
import type { ClusterStats, InstanceView } from '@loadex/api';
import { BALANCER_CONFIG, type BalancerConfig } from '../config/balancer-config';
import type { Heartbeat } from './self-view';
import { StoreConnection } from './store-connection';
import { StoreUnavailableError } from './store-errors';
import { instanceKey, STORE_KEYS } from './store-keys';

/**
 * The live replicas: those whose heartbeat key has not expired (5 s after their last beat). Names
 * whose heartbeat is gone are dropped from the set as they are found.
 */
@Injectable()
export class InstanceDirectory {
  constructor(
    private readonly connection: StoreConnection,
    @Inject(BALANCER_CONFIG) private readonly config: BalancerConfig,
  ) {}

  async live(): Promise<InstanceView[]> {
    const reason = this.connection.unavailableReason();
    if (reason) throw new StoreUnavailableError(reason);
    const { commands } = this.connection;
    try {
      const names = (await commands.smembers(STORE_KEYS.instances)).sort();
      if (names.length === 0) return [];
      const values = await commands.mget(...names.map(instanceKey));
      const gone = names.filter((_, i) => values[i] === null);
      if (gone.length) await commands.srem(STORE_KEYS.instances, ...gone);
      this.connection.answered();
      const views: InstanceView[] = [];
      values.forEach((value) => {
        const beat = value === null ? undefined : parseHeartbeat(value);
        if (beat) views.push({ ...beat, self: beat.instance === this.config.instance });
      });
      return views;
    } catch (err) {
      this.connection.failed(err);
      throw new StoreUnavailableError(this.connection.unavailableReason() ?? (err as Error).message);
    }
  }
}

function parseHeartbeat(text: string): Heartbeat | undefined {
  try {
    const beat = JSON.parse(text) as Heartbeat;
    return typeof beat.instance === 'string' && Array.isArray(beat.backends) ? beat : undefined;
  } catch {
    return undefined;
  }
}

/** Sums over the replicas: requests, errors, in-flight and requests/s, in total and per backend. */
export function clusterStats(instances: readonly InstanceView[]): ClusterStats {
  const totals = { requests: 0, errors: 0, activeRequests: 0, rps: 0 };
  const byUrl = new Map<string, ClusterBackendStats>();
  for (const instance of instances) {
    totals.requests += instance.totals.requests;
    totals.errors += instance.totals.errors;
    totals.activeRequests += instance.totals.activeRequests;
    totals.rps += instance.totals.rps;
    for (const b of instance.backends) {
      let sum = byUrl.get(b.url);
      if (!sum) {
        sum = { url: b.url, requests: 0, errors: 0, activeRequests: 0, rps: 0, healthyOn: 0, instances: 0 };
        byUrl.set(b.url, sum);
      }
      sum.requests += b.requests;
      sum.errors += b.errors;
      sum.activeRequests += b.activeRequests;
      sum.rps = Math.round((sum.rps + b.rps) * 100) / 100;
      sum.instances++;
      if (b.healthy) sum.healthyOn++;
    }
  }
  totals.rps = Math.round(totals.rps * 100) / 100;
  return {
    instances: instances.map((i) => i.instance),
    totals,
    perInstance: instances.map(({ instance, totals: own }) => ({ instance, totals: own })),
    backends: [...byUrl.values()],
  };
}
