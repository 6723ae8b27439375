// Bundles every front-end app in web/<app>/main.ts(x) into public/build/<app>.js (+ <app>.css when the app
// imports CSS), minified, with a manifest (file names + content hash, read by the server to bust caches) and a
// size report. Type-checks web/ first (esbuild strips types without checking them).
//   node scripts/build-web.mjs [--no-typecheck] [--quiet]
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import * as esbuild from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const webDir = path.join(root, 'web');
const outDir = path.join(root, 'public', 'build');
const args = new Set(process.argv.slice(2));
const quiet = args.has('--quiet');

const apps = fs.existsSync(webDir)
  ? fs
      .readdirSync(webDir, { withFileTypes: true })
      .filter((d) => d.isDirectory())
      .map((d) => {
        const entry = ['main.tsx', 'main.ts'].map((f) => path.join(webDir, d.name, f)).find(fs.existsSync);
        return entry ? { name: d.name, entry } : undefined;
      })
      .filter(Boolean)
  : [];

if (apps.length === 0) {
  if (!quiet) console.log('build-web: no web/<app>/main.ts(x) found, nothing to bundle');
  process.exit(0);
}

if (!args.has('--no-typecheck') && fs.existsSync(path.join(webDir, 'tsconfig.json'))) {
  const tsc = path.join(root, 'node_modules', 'typescript', 'bin', 'tsc');
  try {
    execFileSync(process.execPath, [tsc, '-p', path.join(webDir, 'tsconfig.json'), '--noEmit'], {
      stdio: 'inherit',
    });
  } catch {
    console.error('build-web: type errors in web/ (see above)');
    process.exit(1);
  }
}

fs.mkdirSync(outDir, { recursive: true });
const manifestPath = path.join(outDir, 'manifest.json');
const manifest = fs.existsSync(manifestPath) ? JSON.parse(fs.readFileSync(manifestPath, 'utf8')) : {};
const report = [];

for (const app of apps) {
  const result = await esbuild.build({
    entryPoints: { [app.name]: app.entry },
    outdir: outDir,
    bundle: true,
    minify: true,
    format: 'esm',
    target: ['es2020', 'chrome100', 'safari15', 'firefox100'],
    jsx: 'automatic',
    jsxImportSource: 'preact',
    sourcemap: 'linked',
    legalComments: 'linked',
    define: { 'process.env.NODE_ENV': '"production"' },
    metafile: true,
    logLevel: 'warning',
  });
  const js = `${app.name}.js`;
  const css = fs.existsSync(path.join(outDir, `${app.name}.css`)) ? `${app.name}.css` : undefined;
  const hash = createHash('sha256');
  const sizes = {};
  for (const file of [js, css].filter(Boolean)) {
    const bytes = fs.readFileSync(path.join(outDir, file));
    hash.update(bytes);
    sizes[file] = { bytes: bytes.length, gzipBytes: gzipSync(bytes, { level: 9 }).length };
  }
  manifest[app.name] = { js, ...(css ? { css } : {}), hash: hash.digest('hex').slice(0, 16), sizes };
  report.push({ app: app.name, sizes, inputs: Object.keys(result.metafile.inputs).length });
}

fs.writeFileSync(manifestPath, JSON.stringify(manifest, null, 2) + '\n');
if (!quiet) {
  for (const r of report) {
    const total = Object.values(r.sizes).reduce((s, x) => s + x.gzipBytes, 0);
    const files = Object.entries(r.sizes)
      .map(
        ([f, s]) => `${f} ${(s.bytes / 1024).toFixed(1)} KB (${(s.gzipBytes / 1024).toFixed(1)} KB gzipped)`,
      )
      .join(', ');
    console.log(`build-web: ${r.app}: ${files}; first load ${(total / 1024).toFixed(1)} KB gzipped`);
  }
}
