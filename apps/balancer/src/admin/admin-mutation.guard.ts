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
import { BearerToken } from './bearer-token';
import { ClientAllowList } from './client-allow-list';

const READ_METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Who may change the balancer. A mutation (any method but GET, HEAD, OPTIONS) must come from a
 * client inside `--admin-allow` (default loopback only) → else 403, and, with `--admin-token`,
 * carry `Authorization: Bearer <token>` → else 401. Reads pass unless `--admin-protect-reads`.
 * The client is the socket's peer address: X-Forwarded-For is never trusted here.
 *
 * Use it with `@UseGuards(AdminMutationGuard)` on any controller that changes state.
 */
@Injectable()
export class AdminMutationGuard implements CanActivate {
  private readonly allowList: ClientAllowList;
  private readonly token: BearerToken | null;
  private readonly protectReads: boolean;

  constructor(@Inject(BALANCER_CONFIG) config: BalancerConfig) {
    this.allowList = new ClientAllowList(config.adminAllow);
    this.token = config.adminToken ? new BearerToken(config.adminToken) : null;
    this.protectReads = config.adminProtectReads;
  }

  canActivate(context: ExecutionContext): boolean {
    const http = context.switchToHttp();
    const req = http.getRequest<Request>();
    if (!this.protectReads && READ_METHODS.has(req.method)) return true;
    const client = req.socket.remoteAddress;
    if (!this.allowList.allows(client)) {
      throw new ForbiddenException(
        `admin changes are not accepted from ${client ?? 'this client'} (see --admin-allow)`,
      );
    }
    if (this.token && !this.token.matches(req.headers.authorization)) {
      http.getResponse<Response>().setHeader('WWW-Authenticate', 'Bearer realm="loadex-admin"');
      throw new UnauthorizedException('missing or wrong admin token: send Authorization: Bearer <token>');
    }
    return true;
  }
}
