import { ServiceUnavailableException } from '@nestjs/common';

/**
 * A change could not be made in the store (not connected, or no answer in time): nothing was
 * changed. The admin API answers `503 {"statusCode":503,"message":"store unavailable: ..."}`.
 */
export class StoreUnavailableError extends ServiceUnavailableException {
  constructor(reason: string) {
    super(`store unavailable: ${reason}`);
  }
}

/** `--store` unreachable at start without `--store-optional`: main prints it and exits 2. */
export class StoreStartError extends Error {}
