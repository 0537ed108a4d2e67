import { BadGatewayException, Inject, Injectable, Logger, NotFoundException } from '@nestjs/common';
import { type Backend, ServerPool } from '@loadex/pool';
import { BALANCER_CONFIG, type BalancerConfig } from '../../config/balancer-config';
import { type LabControlChange, type LabControlView, labControlViewSchema } from './lab-control.schema';

/**
 * Relays the dashboard's lab controls to a demo backend's `/control`. Only backends registered in
 * the pool can be reached, and only that one path: the balancer is not a general-purpose relay.
 */
@Injectable()
export class LabRelay {
  private readonly logger = new Logger('Lab');
  private readonly timeoutMs: number;

  constructor(
    private readonly pool: ServerPool,
    @Inject(BALANCER_CONFIG) config: BalancerConfig,
  ) {
    this.timeoutMs = config.healthTimeoutMs;
  }

  read(url: string): Promise<LabControlView> {
    return this.call(this.registered(url), { method: 'GET' });
  }

  async write(url: string, change: LabControlChange): Promise<LabControlView> {
    const backend = this.registered(url);
    const view = await this.call(backend, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(change),
    });
    this.logger.log(`lab: ${backend.url} /control set to ${JSON.stringify(change)}`);
    return view;
  }

  private registered(url: string): Backend {
    const backend = this.pool.get(url);
    if (!backend) throw new NotFoundException(`url: ${url} is not a registered backend`);
    return backend;
  }

  private async call(backend: Backend, init: RequestInit): Promise<LabControlView> {
    const target = new URL('/control', backend.target);
    let res: Response;
    let text: string;
    try {
      res = await fetch(target, { ...init, redirect: 'error', signal: AbortSignal.timeout(this.timeoutMs) });
      text = await res.text();
    } catch (err) {
      const reason = err instanceof Error ? (err.cause instanceof Error ? err.cause.message : err.message) : 'error';
      throw new BadGatewayException(`${backend.url}/control did not answer: ${reason}`);
    }
    if (!res.ok) {
      throw new BadGatewayException(`${backend.url}/control answered ${res.status}: ${text.slice(0, 200)}`);
    }
    let parsed: ReturnType<typeof labControlViewSchema.safeParse>;
    try {
      parsed = labControlViewSchema.safeParse(JSON.parse(text));
    } catch {
      parsed = labControlViewSchema.safeParse(undefined);
    }
    if (!parsed.success) {
      throw new BadGatewayException(`${backend.url}/control is not a Loadex demo backend's control endpoint`);
    }
    return { url: backend.url, ...parsed.data };
  }
}
