import helmet from 'helmet';

/**
 * Helmet's headers for admin responses, adjusted to a service that speaks plain HTTP itself: no
 * `upgrade-insecure-requests` (it would send the Swagger UI's own assets to https) and no HSTS.
 */
export function adminHelmet(): ReturnType<typeof helmet> {
  return helmet({
    contentSecurityPolicy: { directives: { upgradeInsecureRequests: null } },
    strictTransportSecurity: false,
  });
}
