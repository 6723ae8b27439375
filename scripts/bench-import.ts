import 'reflect-metadata';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startApp } from '../src/bootstrap/start-app';
import { loadConfig } from '../src/config/app-config';
import { parseArgs } from './cli-args';
import { trackPeakRss } from './support/peak-rss';
import { syntheticProfiles } from './support/synthetic-profiles';
import { Worker } from 'node:worker_threads';

function postFromWorker(
  url: string,
  token: string,
  body: string,
): Promise<{ status: number; report: { created: number; rejected: unknown[] } }> {
  const code = `
    const { parentPort, workerData } = require('node:worker_threads');
    fetch(workerData.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer ' + workerData.token },
      body: workerData.body,
    }).then(async (res) => parentPort.postMessage({ status: res.status, report: await res.json() }));
  `;
  return new Promise((resolve, reject) => {
    const worker = new Worker(code, { eval: true, workerData: { url, token, body } });
    worker.once('message', (m: { status: number; report: { created: number; rejected: unknown[] } }) => {
      resolve(m);
      void worker.terminate();
    });
    worker.once('error', reject);
  });
}

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
    // The client runs in a worker thread: in the app's own thread its response handling would wait behind the
    // background indexer that the import wakes, and the figure would measure the indexer too.
    const started = performance.now();
    const { status, report } = await postFromWorker(`${running.url}/api/companies/import`, token, body);
    const seconds = (performance.now() - started) / 1000;
    if (status !== 200) throw new Error(`import answered ${status}: ${JSON.stringify(report).slice(0, 500)}`);
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
