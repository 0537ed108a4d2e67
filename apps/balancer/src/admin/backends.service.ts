import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { type Backend, type BackendView, PoolLimitError, ServerPool } from '@loadex/pool';
import type { AddBackendInput, UpdateBackendInput } from './admin-input.schemas';
import { StatePersister } from '../state/state-persister';
import { toBackendView } from './backend-view';

export interface AddResult {
  backend: BackendView;
  created: boolean;
}

/**
 * The admin API's changes to the pool, on already validated input. Each resolves once the change
 * is durable (`StatePersister.flush()`: on disk with --state-file), so no 2xx precedes the write.
 */
@Injectable()
export class BackendsService {
  constructor(
    private readonly pool: ServerPool,
    private readonly persister: StatePersister,
  ) {}

  list(): BackendView[] {
    return this.pool.all().map(toBackendView);
  }

  /** Seed shape: `{"<url>": healthy}`. */
  healthMap(): Record<string, boolean> {
    const map: Record<string, boolean> = {};
    for (const backend of this.pool.all()) map[backend.url] = backend.healthy;
    return map;
  }

  /**
   * Adds a backend, idempotently: an existing URL is not added twice (created is false); a weight
   * given for it is applied, so the pool ends up as asked either way.
   */
  async add({ url, weight }: AddBackendInput): Promise<AddResult> {
    const existing = this.pool.get(url.origin);
    if (existing) {
      if (weight !== undefined) this.pool.setWeight(existing, weight);
      await this.persister.flush();
      return { backend: toBackendView(existing), created: false };
    }
    try {
      const { backend, created } = this.pool.add(url, weight ?? 1);
      await this.persister.flush();
      return { backend: toBackendView(backend), created };
    } catch (err) {
      if (err instanceof PoolLimitError) throw new ConflictException(err.message);
      throw err;
    }
  }

  async update({ url, weight, state }: UpdateBackendInput): Promise<BackendView> {
    const backend = this.find(url);
    if (weight !== undefined) this.pool.setWeight(backend, weight);
    if (state !== undefined) this.pool.setState(backend, state);
    await this.persister.flush();
    return toBackendView(backend);
  }

  /** Takes the backend out: no new requests; the ones in flight finish normally. */
  async remove(url: URL): Promise<BackendView> {
    const removed = this.pool.remove(url.origin);
    if (!removed) throw notInPool(url);
    await this.persister.flush();
    return toBackendView(removed);
  }

  private find(url: URL): Backend {
    const backend = this.pool.get(url.origin);
    if (!backend) throw notInPool(url);
    return backend;
  }
}

function notInPool(url: URL): NotFoundException {
  return new NotFoundException(`url: no backend ${url.origin} in the pool`);
}
