import { Module } from '@nestjs/common';
import { AdminMutationGuard } from './admin-mutation.guard';
import { adminRefusedCounterProvider } from './admin-refusal-metric';
import { AdminRefusals } from './admin-refusals';
import { AdminRequestGate } from './admin-request-gate';

/**
 * Who may use the admin API: the request gate (Host, Origin / Sec-Fetch-Site) in front of every
 * admin route, the mutation guard (allow-list, token) on the controllers, and the refusals they
 * count and log. Imported by every module with admin controllers (admin, dashboard's lab relay).
 */
@Module({
  providers: [adminRefusedCounterProvider, AdminRefusals, AdminRequestGate, AdminMutationGuard],
  exports: [AdminRefusals, AdminRequestGate, AdminMutationGuard],
})
export class AdminSecurityModule {}
