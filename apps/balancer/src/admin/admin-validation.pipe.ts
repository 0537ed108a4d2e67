import { BadRequestException, Injectable, StandardSchemaValidationPipe } from '@nestjs/common';

/**
 * Nest's Standard Schema pipe (the admin schemas are zod) with the admin API's error shape:
 * `{"statusCode":400,"message":"url: ...; weight: ..."}`, one string naming each bad field.
 */
@Injectable()
export class AdminValidationPipe extends StandardSchemaValidationPipe {
  constructor() {
    super({
      exceptionFactory: (issues) => {
        const messages = issues.map((issue) => {
          const path = (issue.path ?? []).map((p) => String(typeof p === 'object' ? p.key : p)).join('.');
          return path ? `${path}: ${issue.message}` : issue.message;
        });
        return new BadRequestException(messages.join('; '));
      },
    });
  }
}
