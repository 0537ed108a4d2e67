import {
  BadRequestException,
  HttpException,
  Injectable,
  NestMiddleware,
  PayloadTooLargeException,
  UnsupportedMediaTypeException,
} from '@nestjs/common';
import { json, type NextFunction, type Request, type Response } from 'express';

export const ADMIN_BODY_LIMIT_BYTES = 16 * 1024;

/** What body-parser attaches to the errors it reports. */
interface BodyParserError extends Error {
  type?: string;
  status?: number;
}

/**
 * JSON bodies for the admin routes only (the app runs with `bodyParser: false`, so proxied bodies
 * stream untouched): at most 16 KiB (→ 413), malformed JSON → 400, both in the admin error shape.
 */
@Injectable()
export class AdminBodyParserMiddleware implements NestMiddleware {
  private readonly parse = json({ limit: ADMIN_BODY_LIMIT_BYTES });

  async use(req: Request, res: Response, next: NextFunction): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.parse(req, res, (err?: unknown) => (err ? reject(toHttpException(err as BodyParserError)) : resolve()));
    });
    next();
  }
}

function toHttpException(err: BodyParserError): HttpException {
  switch (err.type) {
    case 'entity.too.large':
      return new PayloadTooLargeException(`body: larger than the admin limit of ${ADMIN_BODY_LIMIT_BYTES} bytes`);
    case 'entity.parse.failed':
      return new BadRequestException(`body: malformed JSON (${err.message})`);
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return new UnsupportedMediaTypeException(`body: ${err.message}`);
    default:
      return new HttpException(`body: ${err.message}`, err.status ?? 400);
  }
}
