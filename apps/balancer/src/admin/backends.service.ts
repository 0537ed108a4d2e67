import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import type { BackendView } from '@loadex/api';
import { PoolLimitError, ServerPool } from '@loadex/pool';
import { ControlPlane } from '../store/control-plane';
import type { AddBackendInput, UpdateBackendInput } from './admin-input.schemas';
import { toBackendView } from '../pool-changes/backend-view';

export interface AddResult {
  backend: BackendView;
  created: boolean;
}

/**
 * The admin API's changes to the pool, on already validated input. Every change goes through the
 * `ControlPlane` (this process's pool, or the shared store with --store); reads are local.
 */
@Injectable()
export class BackendsService {
  constructor(
    private readonly pool: ServerPool,
    private readonly control: ControlPlane,
  ) {}

  list(): BackendView[] {
    return this.pool.all().map(toBackendView);
  }

  /** The original's shape: `{"<url>": healthy}`. */
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
    try {
      const { backend, created } = await this.control.addBackend(url.origin, weight);
      return { backend: toBackendView(backend), created };
    } catch (err) {
      if (err instanceof PoolLimitError) throw new ConflictException(err.message);
      throw err;
    }
  }

  async update({ url, weight, state }: UpdateBackendInput): Promise<BackendView> {
    const backend = await this.control.updateBackend(url.origin, { weight, state });
    if (!backend) throw notInPool(url);
    return toBackendView(backend);
  }

  /** Takes the backend out: no new requests; the ones in flight finish normally. */
  async remove(url: URL): Promise<BackendView> {
    const removed = await this.control.removeBackend(url.origin);
    if (!removed) throw notInPool(url);
    return toBackendView(removed);
  }
}

function notInPool(url: URL): NotFoundException {
  return new NotFoundException(`url: no backend ${url.origin} in the pool`);
}
