import { type CanActivate, Inject, Injectable, NotFoundException } from '@nestjs/common';
import { BALANCER_CONFIG, type BalancerConfig } from '../../config/balancer-config';

/** Lab routes exist only with `--lab`: without it they answer 404, like any unknown route. */
@Injectable()
export class LabModeGuard implements CanActivate {
  constructor(@Inject(BALANCER_CONFIG) private readonly config: BalancerConfig) {}

  canActivate(): boolean {
    if (!this.config.lab) throw new NotFoundException('lab mode is off (start the balancer with --lab)');
    return true;
  }
}
