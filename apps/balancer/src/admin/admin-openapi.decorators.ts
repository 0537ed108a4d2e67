import { applyDecorators } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiForbiddenResponse,
  ApiPayloadTooLargeResponse,
  ApiServiceUnavailableResponse,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { apiErrorSchema } from './admin-response.schemas';

/** The error answers every admin mutation can give, for the OpenAPI document. */
export function ApiMutationErrors(): MethodDecorator & ClassDecorator {
  return applyDecorators(
    ApiBadRequestResponse({
      description: 'invalid input; the message names the field',
      standardSchema: apiErrorSchema,
    }),
    ApiUnauthorizedResponse({
      description: '--admin-token is set and the bearer token is missing or wrong',
      standardSchema: apiErrorSchema,
    }),
    ApiForbiddenResponse({ description: 'the client is outside --admin-allow', standardSchema: apiErrorSchema }),
    ApiPayloadTooLargeResponse({ description: 'body larger than 16 KiB', standardSchema: apiErrorSchema }),
    ApiServiceUnavailableResponse({
      description: 'with --store: the store is unavailable ("store unavailable: ..."); nothing was changed',
      standardSchema: apiErrorSchema,
    }),
  );
}
