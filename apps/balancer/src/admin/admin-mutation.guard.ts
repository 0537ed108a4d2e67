import {
  CanActivate,
  ExecutionContext,
  ForbiddenException,
  Inject,
  Injectable,
  UnauthorizedException,
} from '@nestjs/common';
import type { Request, Response } from 'express';
import { BALANCER_CONFIG, type BalancerConfig } from '../config/balancer-config';
import { AdminRefusals } from './admin-refusals';
import { BearerToken } from './bearer-token';
import { adminClientAddress } from '../workers/relayed-client';
import { ClientAllowList } from './client-allow-list';

const READ_METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Who may change the balancer (DESIGN.md): a mutation (any method but GET, HEAD, OPTIONS) is
 * accepted from a client inside `--admin-allow` (default loopback only); from anywhere else it is
 * refused (403) unless a token is configured and presented. With `--admin-token`, every mutation
 * from any client needs `Authorization: Bearer <token>` (missing or wrong → 401), so a token is
 * how an operator opens the admin API to a remote CLI. Reads pass unless `--admin-protect-reads`.
 * The client is the socket's peer address: X-Forwarded-For is never trusted here. Host and
 * cross-site checks come before it, on every admin request (`AdminRequestGate`); refusals here are
 * counted and logged like those (`AdminRefusals`: reasons `token`, `not-allowed`).
 *
 * Use it with `@UseGuards(AdminMutationGuard)` on any controller that changes state.
 */
@Injectable()
export class AdminMutationGuard implements CanActivate {
  private readonly allowList: ClientAllowList;
  private readonly token: BearerToken | null;
  private readonly protectReads: boolean;

  constructor(
    @Inject(BALANCER_CONFIG) config: BalancerConfig,
    private readonly refusals: AdminRefusals,
  ) {
    this.allowList = new ClientAllowList(config.adminAllow);
    this.token = config.adminToken ? new BearerToken(config.adminToken) : null;
    this.protectReads = config.adminProtectReads;
  }

  canActivate(context: ExecutionContext): boolean {
    const http = context.switchToHttp();
    const req = http.getRequest<Request>();
    if (!this.protectReads && READ_METHODS.has(req.method)) return true;
    const client = adminClientAddress(req);
    if (this.token) {
      if (this.token.matches(req.headers.authorization)) return true;
      this.refusals.refused(
        'token',
        `token ${client}`,
        `refused admin ${req.method} ${req.path} from ${client}: missing or wrong admin token`,
      );
      http.getResponse<Response>().setHeader('WWW-Authenticate', 'Bearer realm="loadex-admin"');
      throw new UnauthorizedException('missing or wrong admin token: send Authorization: Bearer <token>');
    }
    if (!this.allowList.allows(client)) {
      this.refusals.refused(
        'not-allowed',
        `client ${client}`,
        `refused admin ${req.method} ${req.path} from ${client}: outside --admin-allow`,
      );
      throw new ForbiddenException(
        `admin changes are not accepted from ${client ?? 'this client'} (see --admin-allow, or set --admin-token)`,
      );
    }
    return true;
  }
}
