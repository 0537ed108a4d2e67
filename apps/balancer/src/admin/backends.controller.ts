import { Body, Controller, Delete, Get, Patch, Post, Query, Res, UseGuards, UsePipes } from '@nestjs/common';
import {
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type { Response } from 'express';
import type { BackendView } from '@loadex/pool';
import {
  addBackendBody,
  type AddBackendInput,
  removeBackendQuery,
  type RemoveBackendQueryInput,
  updateBackendBody,
  type UpdateBackendInput,
} from './admin-input.schemas';
import { ApiMutationErrors } from './admin-openapi.decorators';
import { AdminMutationGuard } from './admin-mutation.guard';
import { apiErrorSchema, backendListSchema, backendViewSchema } from './admin-response.schemas';
import { AdminValidationPipe } from './admin-validation.pipe';
import { BackendsService } from './backends.service';

/** The pool: list, add, change weight or drain state, remove. */
@ApiTags('backends')
@Controller('api/backends')
@UseGuards(AdminMutationGuard)
@UsePipes(AdminValidationPipe)
export class BackendsController {
  constructor(private readonly backends: BackendsService) {}

  @Get()
  @ApiOperation({ summary: 'Every backend with its weight, health, drain state and counters' })
  @ApiOkResponse({ standardSchema: backendListSchema })
  list(): BackendView[] {
    return this.backends.list();
  }

  @Post()
  @ApiOperation({ summary: 'Add a backend (idempotent): 201 when new, 200 when it was there already' })
  @ApiCreatedResponse({ description: 'added', standardSchema: backendViewSchema })
  @ApiOkResponse({ description: 'already in the pool (weight applied if given)', standardSchema: backendViewSchema })
  @ApiConflictResponse({ description: 'the pool holds 1000 backends already', standardSchema: apiErrorSchema })
  @ApiMutationErrors()
  async add(
    @Body({ schema: addBackendBody }) body: AddBackendInput,
    @Res({ passthrough: true }) res: Response,
  ): Promise<BackendView> {
    const { backend, created } = await this.backends.add(body);
    res.status(created ? 201 : 200);
    return backend;
  }

  @Patch()
  @ApiOperation({ summary: 'Change weight and/or drain state (`draining` takes no new requests)' })
  @ApiOkResponse({ standardSchema: backendViewSchema })
  @ApiNotFoundResponse({ description: 'no backend with this URL', standardSchema: apiErrorSchema })
  @ApiMutationErrors()
  update(@Body({ schema: updateBackendBody }) body: UpdateBackendInput): Promise<BackendView> {
    return this.backends.update(body);
  }

  @Delete()
  @ApiOperation({ summary: 'Remove a backend; its in-flight requests finish normally' })
  @ApiOkResponse({ description: 'the removed backend', standardSchema: backendViewSchema })
  @ApiNotFoundResponse({ description: 'no backend with this URL', standardSchema: apiErrorSchema })
  @ApiMutationErrors()
  remove(@Query({ schema: removeBackendQuery }) query: RemoveBackendQueryInput): Promise<BackendView> {
    return this.backends.remove(query.url);
  }
}
