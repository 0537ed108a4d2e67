import { isIPv4, isIPv6 } from 'node:net';

/** Why the admin API refused a request (the `reason` label of `golb_admin_refused_total`). */
export type AdminRefusalReason = 'host' | 'cross-site' | 'not-allowed' | 'token';

export const ADMIN_REFUSAL_REASONS: readonly AdminRefusalReason[] = ['host', 'cross-site', 'not-allowed', 'token'];

export const CROSS_SITE_MESSAGE = 'cross-site request refused';

/** The request headers the policy judges (Node's lower-cased `IncomingHttpHeaders`). */
export interface AdminRequestHeaders {
  host?: string;
  origin?: string;
  'sec-fetch-site'?: string | string[];
}

/** A refused request: why, the answer's message, and what the warning about it is keyed by. */
export interface AdminRefusal {
  reason: AdminRefusalReason;
  message: string;
  /** One warning per key per minute: the Host, the Origin, or the Sec-Fetch-Site value. */
  key: string;
}

const READ_METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD', 'OPTIONS']);
const PORT = /^:\d{1,5}$/;
/** The most of a refused Host that is repeated in the answer. */
const ECHO_LIMIT = 100;

/**
 * Which browser-borne requests the admin API refuses, whatever the client address (DESIGN.md):
 *
 * - **Host** (every admin request, reads included): an IP literal (`127.0.0.1`, `[::1]`),
 *   `localhost` or a `*.localhost` name (browsers resolve those to loopback themselves, and no
 *   public DNS serves them), or a name given with `--admin-hosts` (`.example.com` = that name and
 *   its subdomains); any port. Anything else is a name an attacker's page may have re-bound to
 *   this address (DNS rebinding). A request without Host (HTTP/1.0) comes from no browser: it passes.
 * - **Origin / Sec-Fetch-Site** (mutations: every method but GET, HEAD, OPTIONS): an `Origin` must be
 *   this listener's own (`<scheme>://<Host>`), a `Sec-Fetch-Site` must be `same-origin` or `none`.
 *   A request with neither (curl, the CLI, scripts) is left to the allow-list and the token.
 */
export class AdminRequestPolicy {
  private readonly names: ReadonlySet<string>;
  private readonly suffixes: readonly string[];

  /** `adminHosts`: lower-cased names, or `.suffix` entries (validated at start-up). */
  constructor(adminHosts: readonly string[]) {
    this.names = new Set(adminHosts.filter((h) => !h.startsWith('.')));
    this.suffixes = adminHosts.filter((h) => h.startsWith('.'));
  }

  /** The refusal for this request, or `null` when it may go on to the routes. */
  judge(method: string, headers: AdminRequestHeaders, encrypted: boolean): AdminRefusal | null {
    const host = headers.host;
    if (host !== undefined && !this.allowsHost(host)) {
      const shown = host.length > ECHO_LIMIT ? `${host.slice(0, ECHO_LIMIT)}…` : host;
      return {
        reason: 'host',
        message:
          `host "${shown}" is not one the admin API answers to: use an IP address or localhost, ` +
          'or start the balancer with --admin-hosts naming it',
        key: `host ${shown.toLowerCase()}`,
      };
    }
    if (READ_METHODS.has(method)) return null;
    return this.crossSite(headers, host, encrypted ? 'https' : 'http');
  }

  /** True when `host` (a Host header: name or address, optional port) is one the admin API answers to. */
  allowsHost(host: string): boolean {
    let name: string;
    let rest: string;
    if (host.startsWith('[')) {
      const end = host.indexOf(']');
      if (end === -1) return false;
      name = host.slice(1, end);
      rest = host.slice(end + 1);
      return (rest === '' || PORT.test(rest)) && isIPv6(name);
    }
    const colon = host.indexOf(':');
    name = (colon === -1 ? host : host.slice(0, colon)).toLowerCase();
    rest = colon === -1 ? '' : host.slice(colon);
    if (rest !== '' && !PORT.test(rest)) return false;
    if (isIPv4(name) || name === 'localhost' || name.endsWith('.localhost')) return true;
    if (this.names.has(name)) return true;
    for (const suffix of this.suffixes) {
      if (name.endsWith(suffix) || name === suffix.slice(1)) return true;
    }
    return false;
  }

  private crossSite(headers: AdminRequestHeaders, host: string | undefined, scheme: string): AdminRefusal | null {
    const site = headers['sec-fetch-site'];
    const origin = headers.origin;
    if (site !== undefined && site !== 'same-origin' && site !== 'none') {
      return {
        reason: 'cross-site',
        message: CROSS_SITE_MESSAGE,
        key: `origin ${origin ?? `(Sec-Fetch-Site ${String(site)})`}`,
      };
    }
    if (origin !== undefined && (host === undefined || !sameOrigin(origin, scheme, host))) {
      return { reason: 'cross-site', message: CROSS_SITE_MESSAGE, key: `origin ${origin}` };
    }
    return null;
  }
}

/** `Origin` against `<scheme>://<Host>`; the scheme's default port is the same as none. */
function sameOrigin(origin: string, scheme: string, host: string): boolean {
  const defaultPort = scheme === 'https' ? ':443' : ':80';
  const own = `${scheme}://${host.endsWith(defaultPort) ? host.slice(0, -defaultPort.length) : host}`;
  const given = origin.endsWith(defaultPort) ? origin.slice(0, -defaultPort.length) : origin;
  return given.toLowerCase() === own.toLowerCase();
}
