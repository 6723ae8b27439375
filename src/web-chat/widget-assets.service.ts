import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Injectable } from '@nestjs/common';
import { projectPath } from '../common/project-paths';

const BUILD_DIR = projectPath('public', 'build');

/**
 * The widget bundle (web/widget → public/build/widget.js, built by scripts/build-web.mjs) served as one classic
 * script: wrapped in a function so none of its names leak into the host page, with an ETag from its content.
 */
@Injectable()
export class WidgetAssetsService {
  private cached?: { mtimeMs: number; body: string; etag: string };

  script(): { body: string; etag: string } | undefined {
    const file = this.bundlePath();
    if (!file) return undefined;
    try {
      const { mtimeMs } = fs.statSync(file);
      if (this.cached?.mtimeMs !== mtimeMs) {
        const source = fs.readFileSync(file, 'utf8').replace(/\n?\/\/# sourceMappingURL=.*\s*$/, '');
        const body = `/* Kakehashi web chat widget */\n(function(){\n${source}\n})();\n`;
        const etag = `"${createHash('sha256').update(body).digest('hex').slice(0, 16)}"`;
        this.cached = { mtimeMs, body, etag };
      }
      return { body: this.cached.body, etag: this.cached.etag };
    } catch {
      return undefined;
    }
  }

  private bundlePath(): string | undefined {
    try {
      const manifest = JSON.parse(fs.readFileSync(path.join(BUILD_DIR, 'manifest.json'), 'utf8')) as Record<
        string,
        { js?: string } | undefined
      >;
      const js = manifest.widget?.js;
      return js && /^[\w.-]+\.js$/.test(js) ? path.join(BUILD_DIR, js) : undefined;
    } catch {
      const fallback = path.join(BUILD_DIR, 'widget.js');
      return fs.existsSync(fallback) ? fallback : undefined;
    }
  }
}
