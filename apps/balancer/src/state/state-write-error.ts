import { InternalServerErrorException } from '@nestjs/common';

/**
 * The state file could not be written, so a change cannot be acknowledged: the admin API answers
 * `500 {"statusCode":500,"message":"... not saved: <reason>"}`. The change itself is in effect
 * (the pool is not rolled back) and is saved by the next write that succeeds.
 */
export class StateWriteError extends InternalServerErrorException {
  constructor(reason: string) {
    super(`${reason}; the change is in effect but not saved (it is saved with the next successful write)`);
  }
}
