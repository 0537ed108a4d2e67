import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { version } from '../../../../package.json';
import { adminHelmet } from './admin-helmet';

export const OPENAPI_UI_PATH = 'api/docs';
export const OPENAPI_JSON_PATH = 'api/docs-json';

/**
 * The OpenAPI document, generated from the controllers and their zod schemas, with the Swagger UI
 * at `/api/docs` and the JSON at `/api/docs-json`. Call before `app.init()`.
 */
export function setupAdminOpenApi(app: INestApplication): void {
  const config = new DocumentBuilder()
    .setTitle('Loadex admin API')
    .setDescription(
      'Runtime control of the Loadex load balancer. Mutations are accepted only from clients inside ' +
        '--admin-allow (default loopback) and, with --admin-token, need `Authorization: Bearer <token>`; ' +
        'a mutation another site sent (Origin, Sec-Fetch-Site) is refused (403), and every route answers ' +
        'only to a Host that is an IP address, localhost or an --admin-hosts name (403).',
    )
    .setVersion(version)
    .addBearerAuth()
    .build();
  const headers = adminHelmet();
  app.use(`/${OPENAPI_UI_PATH}`, headers);
  app.use(`/${OPENAPI_JSON_PATH}`, headers);
  SwaggerModule.setup(OPENAPI_UI_PATH, app, () => SwaggerModule.createDocument(app, config), {
    jsonDocumentUrl: OPENAPI_JSON_PATH,
    raw: ['json'],
    customSiteTitle: 'Loadex admin API',
  });
}
