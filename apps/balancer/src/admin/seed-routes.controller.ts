import { Controller, Get, Post, Query, Res, UseGuards, UsePipes } from '@nestjs/common';
import { ApiConflictResponse, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { ActiveAlgorithm } from '@loadex/algorithms';
import { type BackendView, type InfoView, ServerPool } from '@loadex/pool';
import { version } from '../../../../package.json';
import { addBackendQuery, type AddBackendQueryInput } from './admin-input.schemas';
import { ApiMutationErrors } from './admin-openapi.decorators';
import { AdminMutationGuard } from './admin-mutation.guard';
import { apiErrorSchema, backendViewSchema, healthMapSchema, infoViewSchema } from './admin-response.schemas';
import { AdminValidationPipe } from './admin-validation.pipe';
import { BackendsService } from './backends.service';

/** The seed's three routes, paths and shapes kept. */
@ApiTags('seed')
@Controller('api')
@UseGuards(AdminMutationGuard)
@UsePipes(AdminValidationPipe)
export class SeedRoutesController {
  constructor(
    private readonly backends: BackendsService,
    private readonly pool: ServerPool,
    private readonly algorithm: ActiveAlgorithm,
  ) {}

  @Get('health')
  @ApiOperation({ summary: 'Health of every backend: {"<url>": true|false}' })
  @ApiOkResponse({ standardSchema: healthMapSchema })
  health(): Record<string, boolean> {
    return this.backends.healthMap();
  }

  @Post('add')
  @ApiOperation({ summary: 'Add a backend (idempotent): 201 when new, 200 when it was there already' })
  @ApiCreatedResponse({ description: 'added', standardSchema: backendViewSchema })
  @ApiOkResponse({ description: 'already in the pool (weight applied if given)', standardSchema: backendViewSchema })
  @ApiConflictResponse({ description: 'the pool holds 1000 backends already', standardSchema: apiErrorSchema })
  @ApiMutationErrors()
  async add(
    @Query({ schema: addBackendQuery }) query: AddBackendQueryInput,
    @Res({ passthrough: true }) res: Response,
  ): Promise<BackendView> {
    const { backend, created } = await this.backends.add(query);
    res.status(created ? 201 : 200);
    return backend;
  }

  @Get('info')
  @ApiOperation({ summary: 'Algorithm, version, uptime and number of backends' })
  @ApiOkResponse({ standardSchema: infoViewSchema })
  info(): InfoView {
    return {
      algorithm: this.algorithm.name,
      version,
      uptimeSeconds: Math.floor(process.uptime()),
      backends: this.pool.size,
    };
  }
}
