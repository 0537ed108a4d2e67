import { Inject, Injectable } from '@nestjs/common';
import { version } from '../../../../package.json';
import { BALANCER_CONFIG, type BalancerConfig } from '../config/balancer-config';

/** GET /dashboard/settings.json: what the page needs to know about this balancer. */
export interface DashboardSettingsView {
  version: string;
  /** Lab controls (relayed to the demo backends' /control) are available. */
  lab: boolean;
  /**
   * Where "Send Traffic" sends its requests: null when the page is served by the proxy port
   * itself (same origin), else the proxy's port on the same host as the page (--admin-port): the
   * port it is listening on, which is what --port 0 chose once the proxy has started.
   */
  proxyPort: number | null;
}

/** The page's settings and the Content-Security-Policy that goes with them. */
@Injectable()
export class DashboardSettings {
  /** The proxy's listening port once it is bound (--port 0 picks one), else the configured one. */
  private proxyPort: number;

  constructor(@Inject(BALANCER_CONFIG) private readonly config: BalancerConfig) {
    this.proxyPort = config.port;
  }

  /** Called once the proxy port is listening, with the port it got. */
  proxyListening(port: number): void {
    this.proxyPort = port;
  }

  view(): DashboardSettingsView {
    return {
      version,
      lab: this.config.lab,
      proxyPort: this.config.adminPort === null ? null : this.proxyPort,
    };
  }

  /**
   * Everything the page loads comes from its own origin; the one exception is Send Traffic's
   * requests to the proxy port when the admin API has its own listener (`hostHeader` is the
   * request's Host, from which the page's host name is taken).
   */
  contentSecurityPolicy(hostHeader: string | undefined): string {
    const connect = ["'self'"];
    const proxyPort = this.view().proxyPort;
    const hostname = hostnameOf(hostHeader);
    if (proxyPort && hostname) connect.push(`http://${hostname}:${proxyPort}`, `https://${hostname}:${proxyPort}`);
    return [
      "default-src 'none'",
      "script-src 'self'",
      "style-src 'self'",
      "img-src 'self' data:",
      `connect-src ${connect.join(' ')}`,
      "base-uri 'none'",
      "form-action 'none'",
      "frame-ancestors 'none'",
    ].join('; ');
  }
}

/** The host name of a Host header (`127.0.0.1:8080`, `[::1]:9000`), or null when it is not one. */
function hostnameOf(hostHeader: string | undefined): string | null {
  if (!hostHeader || !/^[A-Za-z0-9.\-:[\]]+$/.test(hostHeader)) return null;
  try {
    return new URL(`http://${hostHeader}`).hostname || null;
  } catch {
    return null;
  }
}
