import { Controller, Get, Headers, NotFoundException, Param, Res, ServiceUnavailableException } from '@nestjs/common';
import type { Response } from 'express';
import { type DashboardAsset, DashboardAssets } from './dashboard-assets';
import { DashboardSettings, type DashboardSettingsView } from './dashboard-settings';

/** The web dashboard: its page, its static assets and its settings. Everything else is the admin API. */
@Controller('dashboard')
export class DashboardController {
  constructor(
    private readonly assets: DashboardAssets,
    private readonly settings: DashboardSettings,
  ) {}

  @Get()
  page(
    @Headers('host') host: string | undefined,
    @Headers('if-none-match') ifNoneMatch: string | undefined,
    @Res() res: Response,
  ): void {
    res.setHeader('Content-Security-Policy', this.settings.contentSecurityPolicy(host));
    this.send(res, this.assets.get('index.html'), ifNoneMatch);
  }

  @Get('settings.json')
  settingsView(@Res({ passthrough: true }) res: Response): DashboardSettingsView {
    res.setHeader('Cache-Control', 'no-store');
    return this.settings.view();
  }

  @Get('assets/:name')
  asset(
    @Param('name') name: string,
    @Headers('if-none-match') ifNoneMatch: string | undefined,
    @Res() res: Response,
  ): void {
    this.send(res, name === 'index.html' ? undefined : this.assets.get(name), ifNoneMatch);
  }

  /** A file of a vendored ES module that imports its siblings by relative name. */
  @Get('assets/:pkg/:name')
  packageAsset(
    @Param('pkg') pkg: string,
    @Param('name') name: string,
    @Headers('if-none-match') ifNoneMatch: string | undefined,
    @Res() res: Response,
  ): void {
    this.send(res, this.assets.get(`${pkg}/${name}`), ifNoneMatch);
  }

  private send(res: Response, asset: DashboardAsset | undefined, ifNoneMatch: string | undefined): void {
    if (this.assets.loadError) throw new ServiceUnavailableException(`dashboard unavailable: ${this.assets.loadError}`);
    if (!asset) throw new NotFoundException('no such dashboard file');
    res.setHeader('Content-Type', asset.contentType);
    res.setHeader('Cache-Control', 'no-cache');
    res.setHeader('ETag', asset.etag);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'no-referrer');
    if (ifNoneMatch === asset.etag) {
      res.status(304).end();
      return;
    }
    res.status(200).end(asset.body);
  }
}
