import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * The admin token, checked in constant time: both sides are hashed to equal-length digests first,
 * so neither the content nor the length of the expected token leaks through timing.
 */
export class BearerToken {
  private readonly digest: Buffer;

  constructor(token: string) {
    this.digest = sha256(token);
  }

  /** True when the `Authorization` header is `Bearer <the token>`. */
  matches(authorization: string | undefined): boolean {
    const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(authorization ?? '');
    const presented = sha256(match ? match[1] : '');
    return timingSafeEqual(presented, this.digest) && match !== null;
  }
}

function sha256(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}
