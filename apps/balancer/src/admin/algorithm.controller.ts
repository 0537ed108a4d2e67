import { Body, Controller, Get, Put, UseGuards, UsePipes } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { AlgorithmView } from '@loadex/pool';
import { setAlgorithmBody, type SetAlgorithmInput } from './admin-input.schemas';
import { ApiMutationErrors } from './admin-openapi.decorators';
import { AdminMutationGuard } from './admin-mutation.guard';
import { algorithmViewSchema } from './admin-response.schemas';
import { AdminValidationPipe } from './admin-validation.pipe';
import { AlgorithmService } from './algorithm.service';

/** The balancing algorithm, switchable at runtime without dropping a request. */
@ApiTags('algorithm')
@Controller('api/algorithm')
@UseGuards(AdminMutationGuard)
@UsePipes(AdminValidationPipe)
export class AlgorithmController {
  constructor(private readonly algorithm: AlgorithmService) {}

  @Get()
  @ApiOperation({ summary: 'The algorithm in use and the ones available' })
  @ApiOkResponse({ standardSchema: algorithmViewSchema })
  get(): AlgorithmView {
    return this.algorithm.view();
  }

  @Put()
  @ApiOperation({ summary: 'Switch the algorithm (names or aliases, case-insensitive)' })
  @ApiOkResponse({ standardSchema: algorithmViewSchema })
  @ApiMutationErrors()
  set(@Body({ schema: setAlgorithmBody }) body: SetAlgorithmInput): Promise<AlgorithmView> {
    return this.algorithm.use(body.algorithm);
  }
}
