import { Injectable } from '@nestjs/common';
import type { ClusterStats } from '@loadex/api';

/**
 * With `--store`: this replica's name and the latest sums over every live replica, kept here by
 * the store's heartbeat once a second so `/api/stats` and the SSE stream add them without a
 * round trip to Redis. Empty without `--store`.
 */
@Injectable()
export class ClusterView {
  private latest: { instance: string; cluster: ClusterStats } | undefined;

  set(instance: string, cluster: ClusterStats): void {
    this.latest = { instance, cluster };
  }

  current(): { instance: string; cluster: ClusterStats } | undefined {
    return this.latest;
  }
}
