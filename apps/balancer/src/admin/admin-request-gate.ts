import { Inject, Injectable } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import type { TLSSocket } from 'node:tls';
import { BALANCER_CONFIG, type BalancerConfig } from '../config/balancer-config';
import { AdminRefusals } from './admin-refusals';
import { AdminRequestPolicy } from './admin-request-policy';
import { adminClientAddress } from '../workers/relayed-client';

/**
 * The first thing every admin request meets, before any route: Nest's controllers, `/metrics`,
 * the dashboard, the Swagger UI, the SSE stream, unknown paths. A request whose Host is not one the
 * admin API answers to, or a mutation another site sent (`AdminRequestPolicy`), is answered
 * `403 {"statusCode":403,"message":...}` here and changes nothing; the rest go on to the routes,
 * where `AdminMutationGuard` judges the client address and the token.
 *
 * Installed on the whole admin Express app by `setupAdminHttp` (it sees only admin requests: on
 * the shared port the proxy keeps every other path).
 */
@Injectable()
export class AdminRequestGate {
  private readonly policy: AdminRequestPolicy;

  constructor(
    @Inject(BALANCER_CONFIG) config: BalancerConfig,
    private readonly refusals: AdminRefusals,
  ) {
    this.policy = new AdminRequestPolicy(config.adminHosts);
  }

  /** Express middleware (bound: pass it as it is). */
  readonly handle = (req: Request, res: Response, next: NextFunction): void => {
    const refusal = this.policy.judge(req.method, req.headers, (req.socket as TLSSocket).encrypted === true);
    if (refusal === null) {
      next();
      return;
    }
    const client = adminClientAddress(req) ?? 'unknown client';
    const warning =
      refusal.reason === 'host'
        ? `refused admin ${req.method} ${req.path} for Host ${JSON.stringify(req.headers.host)} from ${client}: not an IP address, localhost or an --admin-hosts name`
        : `refused cross-site admin ${req.method} ${req.path} from ${client}: Origin ${JSON.stringify(req.headers.origin ?? null)}, Sec-Fetch-Site ${JSON.stringify(req.headers['sec-fetch-site'] ?? null)}`;
    this.refusals.refused(refusal.reason, refusal.key, warning);
    res.status(403).json({ statusCode: 403, message: refusal.message });
  };
}
