import { Controller, Get, UseGuards } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { InstancesView } from '@loadex/api';
import { AdminMutationGuard } from '../admin/admin-mutation.guard';
import { instancesViewSchema } from '../admin/admin-response.schemas';
import { InstanceRegistry } from './instance-registry';

@ApiTags('instances')
@Controller('api/instances')
@UseGuards(AdminMutationGuard)
export class InstancesController {
  constructor(private readonly registry: InstanceRegistry) {}

  @Get()
  @ApiOperation({
    summary:
      'The live replicas sharing --store (their last heartbeat, at most 5 s old): traffic and health as each sees it',
  })
  @ApiOkResponse({ standardSchema: instancesViewSchema })
  get(): Promise<InstancesView> {
    return this.registry.view();
  }
}
