import { Body, Controller, Get, HttpCode, Put, Query, UseGuards } from '@nestjs/common';
import { AdminMutationGuard } from '../../admin/admin-mutation.guard';
import { AdminValidationPipe } from '../../admin/admin-validation.pipe';
import {
  type LabBackendQuery,
  labBackendQuery,
  type LabControlChange,
  labControlChangeSchema,
  type LabControlView,
} from './lab-control.schema';
import { LabModeGuard } from './lab-mode.guard';
import { LabRelay } from './lab-relay';

/**
 * `GET|PUT /api/backends/control?url=`: the dashboard's lab controls, relayed to a registered demo
 * backend's `/control`. Only with `--lab` (else 404), and only for clients the admin API lets
 * change things (`AdminMutationGuard`: --admin-allow, --admin-token; reads like the API's reads).
 */
@Controller('api/backends/control')
@UseGuards(LabModeGuard, AdminMutationGuard)
export class LabRelayController {
  constructor(private readonly relay: LabRelay) {}

  @Get()
  read(
    @Query({ schema: labBackendQuery, pipes: [AdminValidationPipe] }) query: LabBackendQuery,
  ): Promise<LabControlView> {
    return this.relay.read(query.url.origin);
  }

  @Put()
  @HttpCode(200)
  write(
    @Query({ schema: labBackendQuery, pipes: [AdminValidationPipe] }) query: LabBackendQuery,
    @Body({ schema: labControlChangeSchema, pipes: [AdminValidationPipe] }) change: LabControlChange,
  ): Promise<LabControlView> {
    return this.relay.write(query.url.origin, change);
  }
}
