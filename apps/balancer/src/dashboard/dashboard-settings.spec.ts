import type { BalancerConfig } from '../config/balancer-config';
import { DashboardSettings } from './dashboard-settings';

function settings(partial: Partial<BalancerConfig>): DashboardSettings {
  return new DashboardSettings({ port: 8080, adminPort: null, lab: false, ...partial } as BalancerConfig);
}

describe('DashboardSettings', () => {
  it('sends traffic to the same origin when the proxy port serves the page', () => {
    const s = settings({ lab: true });
    expect(s.view()).toMatchObject({ lab: true, proxyPort: null });
    expect(s.contentSecurityPolicy('127.0.0.1:8080')).toContain("connect-src 'self';");
  });

  it('with --admin-port, names the proxy port and lets the page connect to it on the same host only', () => {
    const s = settings({ port: 8080, adminPort: 9090 });
    expect(s.view().proxyPort).toBe(8080);
    expect(s.contentSecurityPolicy('127.0.0.1:9090')).toContain(
      "connect-src 'self' http://127.0.0.1:8080 https://127.0.0.1:8080;",
    );
    expect(s.contentSecurityPolicy('[::1]:9090')).toContain('http://[::1]:8080');
  });

  it('with --port 0, names the port the proxy got once it listens', () => {
    const s = settings({ port: 0, adminPort: 9090 });
    s.proxyListening(41234);
    expect(s.view().proxyPort).toBe(41234);
    expect(s.contentSecurityPolicy('127.0.0.1:9090')).toContain('http://127.0.0.1:41234 ');
  });

  it('never copies a strange Host header into the policy', () => {
    const s = settings({ adminPort: 9090 });
    for (const host of [undefined, '', "evil.example; script-src 'unsafe-inline'", 'a b', 'x/y']) {
      const policy = s.contentSecurityPolicy(host);
      expect(policy).toContain("connect-src 'self';");
      expect(policy).not.toContain('unsafe-inline');
    }
  });

  it('keeps everything else to its own origin', () => {
    const policy = settings({}).contentSecurityPolicy('localhost:8080');
    expect(policy).toMatch(/default-src 'none'/);
    expect(policy).toMatch(/script-src 'self';/);
    expect(policy).toMatch(/frame-ancestors 'none'/);
  });
});
