import { Body, Controller, Get, Put, UseGuards, UsePipes } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { AlgorithmInfo } from '@loadex/algorithms';
import type { AlgorithmView } from '@loadex/api';
import { setAlgorithmBody, type SetAlgorithmInput } from './admin-input.schemas';
import { ApiMutationErrors } from './admin-openapi.decorators';
import { AdminMutationGuard } from './admin-mutation.guard';
import { algorithmListSchema, algorithmViewSchema } from './admin-response.schemas';
import { AdminValidationPipe } from './admin-validation.pipe';
import { AlgorithmService } from './algorithm.service';

/** The balancing algorithm, switchable at runtime without dropping a request, and the registry. */
@ApiTags('algorithm')
@Controller('api')
@UseGuards(AdminMutationGuard)
@UsePipes(AdminValidationPipe)
export class AlgorithmController {
  constructor(private readonly algorithm: AlgorithmService) {}

  @Get('algorithm')
  @ApiOperation({ summary: 'The algorithm in use, its options and the names available' })
  @ApiOkResponse({ standardSchema: algorithmViewSchema })
  get(): AlgorithmView {
    return this.algorithm.view();
  }

  @Put('algorithm')
  @ApiOperation({
    summary: 'Switch the algorithm (names or aliases, case-insensitive) with its options',
  })
  @ApiOkResponse({ standardSchema: algorithmViewSchema })
  @ApiMutationErrors()
  set(@Body({ schema: setAlgorithmBody }) body: SetAlgorithmInput): Promise<AlgorithmView> {
    return this.algorithm.use(body.algorithm, body.options);
  }

  @Get('algorithms')
  @ApiOperation({ summary: 'Every algorithm: name, aliases, how it chooses, its options and their defaults' })
  @ApiOkResponse({ standardSchema: algorithmListSchema })
  list(): readonly AlgorithmInfo[] {
    return this.algorithm.catalogView();
  }
}
