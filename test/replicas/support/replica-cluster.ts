import request from 'supertest';
import type { BackendView, InstancesView } from '@loadex/api';
import { waitFor } from '../../support/http';
import { type Balancer, startBalancer } from '../../support/processes';
import type { RedisServer } from './redis-server';

/** Starts a replica named `name` on `store`, with `--backends` and any further flags. */
export function startReplica(
  name: string,
  redis: RedisServer,
  backends: string[],
  extra: string[] = [],
): Promise<Balancer> {
  return startBalancer([
    '--store',
    redis.url,
    '--instance',
    name,
    ...(backends.length ? ['--backends', backends.join(',')] : []),
    '--health-interval',
    '500ms',
    ...extra,
  ]);
}

/** The part of the pool that is shared: URL, weight, drain state, in pool order. */
export type SharedShape = Array<Pick<BackendView, 'url' | 'weight' | 'state'>>;

export async function sharedShape(replica: Balancer): Promise<SharedShape> {
  const res = await request(replica.adminUrl).get('/api/backends').expect(200);
  return (res.body as BackendView[]).map(({ url, weight, state }) => ({ url, weight, state }));
}

/** Redis's own view of the backends (read with redis-cli), in the store's order (`seq`). */
export async function storedShape(redis: RedisServer): Promise<SharedShape> {
  const flat = (await redis.cli('--raw', 'HGETALL', 'loadex:backends')).split('\n').filter(Boolean);
  const entries: Array<SharedShape[number] & { seq: number }> = [];
  for (let i = 0; i + 1 < flat.length; i += 2) {
    const { weight, state, seq } = JSON.parse(flat[i + 1]) as {
      weight: number;
      state: 'active' | 'draining';
      seq: number;
    };
    entries.push({ url: flat[i], weight, state, seq });
  }
  return entries.sort((a, b) => a.seq - b.seq).map(({ url, weight, state }) => ({ url, weight, state }));
}

export async function instances(replica: Balancer): Promise<InstancesView> {
  return (await request(replica.adminUrl).get('/api/instances').expect(200)).body as InstancesView;
}

/** Polls until `replica`'s pool satisfies `check` (bounded; the change is expected within a second). */
export async function untilPool(replica: Balancer, check: (shape: SharedShape) => boolean): Promise<SharedShape> {
  let last: SharedShape = [];
  await waitFor(async () => check((last = await sharedShape(replica))), 30_000, 50).catch(() => {
    throw new Error(`pool of ${replica.url} never matched; last: ${JSON.stringify(last)}`);
  });
  return last;
}
