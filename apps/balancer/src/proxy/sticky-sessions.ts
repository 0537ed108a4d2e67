import { createHash } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { Inject, Injectable, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { cookieValue } from '@loadex/algorithms';
import { type Backend, ServerPool } from '@loadex/pool';
import { BALANCER_CONFIG, type BalancerConfig } from '../config/balancer-config';

/** A backend's sticky identity: the cookie value that names it and the Set-Cookie line that gives it. */
interface StickyId {
  readonly id: string;
  readonly setCookie: string;
}

/**
 * `--sticky-cookie NAME` on top of any algorithm (HAProxy's `cookie … insert`, Traefik's sticky
 * sessions): a request whose cookie names a routable backend goes back to it; otherwise the
 * algorithm picks and the answer sets the cookie. The value is an opaque digest of the backend's
 * URL (the same on every replica and after a restart), never its address. Ids and Set-Cookie lines
 * are built when a backend joins, so a request only scans its Cookie header.
 */
@Injectable()
export class StickySessions implements OnModuleInit, OnModuleDestroy {
  readonly cookieName: string | null;
  private readonly byBackend = new Map<Backend, StickyId>();
  private readonly byId = new Map<string, Backend>();
  private unsubscribe: (() => void) | undefined;

  constructor(
    private readonly pool: ServerPool,
    @Inject(BALANCER_CONFIG) config: BalancerConfig,
  ) {
    this.cookieName = config.stickyCookie;
  }

  onModuleInit(): void {
    if (this.cookieName === null) return;
    for (const backend of this.pool.all()) this.track(backend);
    this.unsubscribe = this.pool.on((event) => {
      if (event.type === 'added') this.track(event.backend);
      else if (event.type === 'removed') this.untrack(event.backend);
    });
  }

  onModuleDestroy(): void {
    this.unsubscribe?.();
  }

  /** The routable backend the request's cookie names, if any. */
  stuckTo(headers: IncomingHttpHeaders): Backend | undefined {
    const id = cookieValue(headers.cookie, this.cookieName!);
    if (id === undefined) return undefined;
    const backend = this.byId.get(id);
    return backend !== undefined && backend.routable ? backend : undefined;
  }

  /** The Set-Cookie line to send with an answer from `backend`, or null when the client has it already. */
  setCookieFor(backend: Backend, headers: IncomingHttpHeaders): string | null {
    const sticky = this.byBackend.get(backend);
    if (sticky === undefined) return null;
    return cookieValue(headers.cookie, this.cookieName!) === sticky.id ? null : sticky.setCookie;
  }

  private track(backend: Backend): void {
    const id = createHash('sha256').update(`loadex:${backend.url}`).digest('base64url').slice(0, 22);
    const setCookie = `${this.cookieName}=${id}; Path=/; HttpOnly; SameSite=Lax`;
    this.byBackend.set(backend, { id, setCookie });
    this.byId.set(id, backend);
  }

  private untrack(backend: Backend): void {
    const sticky = this.byBackend.get(backend);
    if (sticky) this.byId.delete(sticky.id);
    this.byBackend.delete(backend);
  }
}
