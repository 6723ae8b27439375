import 'reflect-metadata';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startApp } from '../src/bootstrap/start-app';
import { loadConfig } from '../src/config/app-config';
import { parseArgs } from './cli-args';
import { trackPeakRss } from './support/peak-rss';
import { syntheticProfiles } from './support/synthetic-profiles';

/**
 * `npm run bench:import -- --profiles 10000`: imports N synthetic profiles in one POST /api/companies/import
 * into a fresh on-disk embedded database (as `npm start` uses) and prints throughput and peak RSS.
 */
async function main() {
  const args = parseArgs();
  const count = Number(args.profiles ?? 10000);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kakehashi-bench-import-'));
  const token = 'bench-admin-token-0123456789abcdef';
  const config = loadConfig({
    ...process.env,
    DATA_DIR: dataDir,
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'error',
    ADMIN_API_TOKEN: token,
    SEED_ON_FIRST_START: 'false',
  });
  const running = await startApp(config, { seed: false });
  const rss = trackPeakRss();
  try {
    const profiles = syntheticProfiles(count);
    const body = JSON.stringify(profiles);
    const started = performance.now();
    const res = await fetch(`${running.url}/api/companies/import`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body,
    });
    const report = (await res.json()) as { created: number; rejected: unknown[] };
    const seconds = (performance.now() - started) / 1000;
    if (res.status !== 200)
      throw new Error(`import answered ${res.status}: ${JSON.stringify(report).slice(0, 500)}`);
    const line = {
      benchmark: 'import',
      profiles: count,
      bodyMb: +(body.length / 1024 / 1024).toFixed(1),
      created: report.created,
      rejected: report.rejected.length,
      seconds: +seconds.toFixed(2),
      profilesPerSecond: Math.round(count / seconds),
      peakRssMb: Math.round(rss.stop() / 1024 / 1024),
      database: 'embedded PGlite (on disk)',
    };
    process.stdout.write(`${JSON.stringify(line)}\n`);
    process.stdout.write(
      `import: ${count} profiles in ${line.seconds}s = ${line.profilesPerSecond} profiles/s, peak RSS ${line.peakRssMb} MB\n`,
    );
  } finally {
    await running.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((err: Error) => {
  process.stderr.write(`${err.stack ?? err.message}\n`);
  process.exit(1);
});
