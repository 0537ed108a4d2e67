import { Injectable } from '@nestjs/common';
import type { AlgorithmInfo } from '@loadex/algorithms';
import type { AdminState, AlgorithmView, BackendView, InfoView, InstancesView, StatsSnapshot } from '@loadex/api';
import { AdminHttp } from './admin-http';
import type { LabControlChange, LabControlView } from './lab-control-view';

export interface BackendChange {
  weight?: number;
  state?: AdminState;
}

export interface AddBackendResult {
  backend: BackendView;
  /** false when the URL was already in the pool (the route is idempotent: 200 instead of 201). */
  created: boolean;
}

/** The balancer's admin REST API, one typed method per route; the shapes are `@loadex/api`'s. */
@Injectable()
export class AdminApiClient {
  constructor(private readonly http: AdminHttp) {}

  async backends(): Promise<BackendView[]> {
    return (await this.http.send<BackendView[]>('GET', '/api/backends')).body;
  }

  async info(): Promise<InfoView> {
    return (await this.http.send<InfoView>('GET', '/api/info')).body;
  }

  async stats(signal?: AbortSignal): Promise<StatsSnapshot> {
    return (await this.http.send<StatsSnapshot>('GET', '/api/stats', { signal })).body;
  }

  /** The replicas sharing `--store` and what each sees (just this balancer without a store). */
  async instances(): Promise<InstancesView> {
    return (await this.http.send<InstancesView>('GET', '/api/instances')).body;
  }

  async algorithm(): Promise<AlgorithmView> {
    return (await this.http.send<AlgorithmView>('GET', '/api/algorithm')).body;
  }

  /** Switches; without `options` the algorithm starts with its defaults. */
  async setAlgorithm(algorithm: string, options?: Record<string, unknown>): Promise<AlgorithmView> {
    return (await this.http.send<AlgorithmView>('PUT', '/api/algorithm', { body: { algorithm, options } })).body;
  }

  async algorithms(): Promise<AlgorithmInfo[]> {
    return (await this.http.send<AlgorithmInfo[]>('GET', '/api/algorithms')).body;
  }

  async addBackend(url: string, weight?: number): Promise<AddBackendResult> {
    const response = await this.http.send<BackendView>('POST', '/api/backends', { body: { url, weight } });
    return { backend: response.body, created: response.status === 201 };
  }

  async updateBackend(url: string, change: BackendChange): Promise<BackendView> {
    return (await this.http.send<BackendView>('PATCH', '/api/backends', { body: { url, ...change } })).body;
  }

  /** Removes a backend; returns it as it was when removed. */
  async removeBackend(url: string): Promise<BackendView> {
    return (await this.http.send<BackendView>('DELETE', '/api/backends', { query: { url } })).body;
  }

  /** A demo backend's lab switches, through the balancer's relay (only with `--lab`). */
  async labControl(url: string): Promise<LabControlView> {
    return (await this.http.send<LabControlView>('GET', '/api/backends/control', { query: { url } })).body;
  }

  async setLabControl(url: string, change: LabControlChange): Promise<LabControlView> {
    return (await this.http.send<LabControlView>('PUT', '/api/backends/control', { query: { url }, body: change }))
      .body;
  }
}
