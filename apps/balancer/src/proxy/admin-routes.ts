/**
 * The exact paths the proxy port keeps for itself when admin routes share it; every other path,
 * other `/api/...` paths included, goes to a backend. The dashboard owns its prefix.
 */
export const ADMIN_PATHS: ReadonlySet<string> = new Set([
  '/api/health',
  '/api/add',
  '/api/info',
  '/api/backends',
  '/api/backends/control',
  '/api/algorithm',
  '/api/algorithms',
  '/api/stats',
  '/api/events',
  '/api/instances',
  '/api/docs',
  '/api/docs-json',
  '/metrics',
]);

export const DASHBOARD_PREFIX = '/dashboard';

/** True for a request the admin app answers rather than a backend. */
export function isAdminPath(url: string): boolean {
  const q = url.indexOf('?');
  const path = q === -1 ? url : url.slice(0, q);
  if (ADMIN_PATHS.has(path)) return true;
  return (
    (path.startsWith(DASHBOARD_PREFIX) &&
      (path.length === DASHBOARD_PREFIX.length || path.charCodeAt(DASHBOARD_PREFIX.length) === 47)) /* / */ ||
    path.startsWith('/api/docs/')
  );
}
