import { createHash } from 'node:crypto';
import { access, readdir, readFile } from 'node:fs/promises';
import { extname, join, resolve } from 'node:path';
import { Injectable, Logger, OnModuleInit } from '@nestjs/common';

/** One file the dashboard serves, read once at start-up. */
export interface DashboardAsset {
  body: Buffer;
  contentType: string;
  /** Strong ETag of the body, for conditional GETs. */
  etag: string;
}

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
};

/**
 * Libraries the page loads, served by name from the installed packages (no CDN): the charting
 * library, and the Server-Sent Events parser behind the live stream (an ES module of three files
 * that import each other, so they keep their names under the package's name).
 */
const VENDOR_FILES: Readonly<Record<string, string>> = {
  'uPlot.iife.min.js': 'node_modules/uplot/dist/uPlot.iife.min.js',
  'uPlot.min.css': 'node_modules/uplot/dist/uPlot.min.css',
  'eventsource-parser/index.js': 'node_modules/eventsource-parser/dist/index.js',
  'eventsource-parser/parse.js': 'node_modules/eventsource-parser/dist/parse.js',
  'eventsource-parser/errors.js': 'node_modules/eventsource-parser/dist/errors.js',
};

const ASSETS_IN_REPO = 'apps/balancer/src/dashboard/assets';

/**
 * Where the repository root is: the bundle runs from `dist/apps/balancer/main.js` (three levels
 * down), the sources (tests) from `apps/balancer/src/dashboard` (four levels down).
 */
async function findRepoRoot(): Promise<string> {
  const candidates = [resolve(__dirname, '../../..'), resolve(__dirname, '../../../..'), process.cwd()];
  for (const root of candidates) {
    try {
      await access(join(root, ASSETS_IN_REPO, 'index.html'));
      return root;
    } catch {
      // not this one
    }
  }
  throw new Error(`dashboard assets not found (looked for ${ASSETS_IN_REPO} under ${candidates.join(', ')})`);
}

/**
 * The dashboard's static files (HTML, CSS, JS, icon and the uPlot bundle), read asynchronously once
 * when the module starts and kept in memory: no file system access per request, and a flat name
 * space, so a request can never name a file outside it.
 */
@Injectable()
export class DashboardAssets implements OnModuleInit {
  private readonly logger = new Logger('Dashboard');
  private assets: ReadonlyMap<string, DashboardAsset> = new Map();

  /** Why the assets could not be loaded (the balancer still runs; /dashboard says why it can't). */
  loadError: string | null = null;

  async onModuleInit(): Promise<void> {
    try {
      await this.load();
    } catch (err) {
      this.loadError = (err as Error).message;
      this.logger.error(`dashboard unavailable: ${this.loadError}`);
    }
  }

  private async load(): Promise<void> {
    const root = await findRepoRoot();
    const dir = join(root, ASSETS_IN_REPO);
    const files = new Map<string, string>();
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      if (entry.isFile() && CONTENT_TYPES[extname(entry.name)]) files.set(entry.name, join(dir, entry.name));
    }
    for (const [name, path] of Object.entries(VENDOR_FILES)) files.set(name, join(root, path));

    const loaded = new Map<string, DashboardAsset>();
    await Promise.all(
      [...files].map(async ([name, path]) => {
        const body = await readFile(path);
        const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
        loaded.set(name, { body, etag, contentType: CONTENT_TYPES[extname(name)] ?? 'application/octet-stream' });
      }),
    );
    this.assets = loaded;
    this.logger.debug(`${loaded.size} dashboard assets loaded from ${dir}`);
  }

  /** The asset called `name` (e.g. `dashboard.css`, `eventsource-parser/index.js`), or undefined. */
  get(name: string): DashboardAsset | undefined {
    return this.assets.get(name);
  }
}
