import * as fs from 'node:fs';
import * as path from 'node:path';
import { Injectable } from '@nestjs/common';
import type { Request } from 'express';
import { projectPath } from '../common/project-paths';
import { ConsoleAuthService } from './console-auth.service';

/** What scripts/build-web.mjs writes beside the bundles, per app. */
interface BuildManifest {
  [app: string]: { js: string; css?: string; hash: string } | undefined;
}

const BUILD_DIR = projectPath('public', 'build');
const APP = 'console';

/** No inline script or style, nothing from another origin: a stored-XSS payload in a profile cannot run. */
export const CONSOLE_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

export type PageResult = { redirect: string } | { html: string };

/** Serves the console's single HTML page and its bundled assets from public/build (built by npm run build). */
@Injectable()
export class ConsolePagesService {
  private manifest?: { mtimeMs: number; value: BuildManifest };

  constructor(private readonly consoleAuth: ConsoleAuthService) {}

  /** Every console page needs a session except the sign-in page; without one the browser goes there. */
  async page(req: Request, route: string): Promise<PageResult> {
    if (route === '' || route === '/') return { redirect: '/console/profiles' };
    if (route !== '/sign-in' && !(await this.consoleAuth.hasSession(req))) {
      return { redirect: `/console/sign-in?next=${encodeURIComponent('/console' + route)}` };
    }
    return { html: this.shell() };
  }

  /** A bundled file by name, only if the build produced it (no path from the URL ever reaches the disk). */
  asset(file: string, version: string | undefined): { path: string; immutable: boolean } | undefined {
    const entry = this.readManifest()[APP];
    if (!entry || (file !== entry.js && file !== entry.css && file !== `${entry.js}.map`)) return undefined;
    const full = path.join(BUILD_DIR, file);
    if (!fs.existsSync(full)) return undefined;
    return { path: full, immutable: version === entry.hash };
  }

  private shell(): string {
    const entry = this.readManifest()[APP];
    if (!entry) {
      return page(
        '<main style="font:16px system-ui;margin:3rem"><h1>Console not built</h1>' +
          '<p>Run <code>npm run build</code> (it bundles web/console into public/build).</p></main>',
        '',
      );
    }
    const v = encodeURIComponent(entry.hash);
    return page(
      '<div id="app"></div><noscript>The Kakehashi console needs JavaScript.</noscript>' +
        `<script type="module" src="/console/assets/${entry.js}?v=${v}"></script>`,
      entry.css ? `<link rel="stylesheet" href="/console/assets/${entry.css}?v=${v}">` : '',
    );
  }

  private readManifest(): BuildManifest {
    const file = path.join(BUILD_DIR, 'manifest.json');
    try {
      const { mtimeMs } = fs.statSync(file);
      if (this.manifest?.mtimeMs !== mtimeMs) {
        this.manifest = { mtimeMs, value: JSON.parse(fs.readFileSync(file, 'utf8')) as BuildManifest };
      }
      return this.manifest.value;
    } catch {
      return {};
    }
  }
}

function page(body: string, head: string): string {
  return (
    '<!doctype html><html lang="en"><head><meta charset="utf-8">' +
    '<meta name="viewport" content="width=device-width,initial-scale=1">' +
    '<meta name="referrer" content="no-referrer"><title>Kakehashi console</title>' +
    `<link rel="icon" href="data:,">${head}</head><body>${body}</body></html>`
  );
}
