import type { NestExpressApplication } from '@nestjs/platform-express';
import { AdminRequestGate } from './admin-request-gate';

/**
 * The admin Express app as a whole: no `X-Powered-By` banner on anything it answers, and
 * `AdminRequestGate` in front of every route. Call before `setupAdminOpenApi` and `app.init()`,
 * so the gate comes first in Express's stack, ahead of the Swagger UI and Nest's routes.
 */
export function setupAdminHttp(app: NestExpressApplication): void {
  app.disable('x-powered-by');
  app.use(app.get(AdminRequestGate).handle);
}
