import 'reflect-metadata';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { AlertWorker } from '../src/alerts/alert.worker';
import { startApp } from '../src/bootstrap/start-app';
import type { CompanyProfileInput, Lang } from '../src/companies/company-profile.schema';
import { CompanyImportService } from '../src/companies/company-import.service';
import { loadConfig } from '../src/config/app-config';
import { SearchIndexerService } from '../src/matching/indexing/search-indexer.service';
import { type AlertCriteria, MatchService } from '../src/matching/match.service';
import { parseArgs } from './cli-args';
import { trackPeakRss } from './support/peak-rss';
import { rng, syntheticProfiles } from './support/synthetic-profiles';

/**
 * `npm run bench:alerts [-- --searches 10000 --profiles 1000 --dataset ../shared/eval/sme-dev.json]`: boots the app
 * on a fresh on-disk embedded database, gives N web chat users one saved search each (the dataset's own
 * requests from Japanese firms, or synthetic ja/th/en ones), then publishes M profiles in one import (the
 * dataset's real Thai SMEs, or synthetic profiles) and measures the time until every alert is computed and
 * queued: indexing, the check, and the messages. Target: within 60 s; each user at most one message; 0 duplicate
 * (user, firm) announcements. The searches are saved through MatchService.alertCriteria, as the chat saves them.
 */
const TARGET_S = 60;

interface Dataset {
  profiles: Array<Record<string, unknown> & { externalId: string }>;
  queries: Array<{ text: string; lang: Lang; seekerCountry?: 'JP' | 'TH' }>;
}

const SYNTHETIC_REQUESTS: Array<{ text: string; lang: Lang; seekerCountry: 'JP' | 'TH' }> = [
  { text: 'タイで自動車部品を製造している会社を探しています', lang: 'ja', seekerCountry: 'JP' },
  { text: 'タイの食品メーカーを探しています', lang: 'ja', seekerCountry: 'JP' },
  { text: 'タイでプラスチック成形の会社', lang: 'ja', seekerCountry: 'JP' },
  { text: 'タイの物流会社', lang: 'ja', seekerCountry: 'JP' },
  { text: 'Thai garment manufacturer', lang: 'en', seekerCountry: 'JP' },
  { text: 'Thai software company', lang: 'en', seekerCountry: 'JP' },
  { text: 'หาผู้ผลิตเครื่องจักรญี่ปุ่น', lang: 'th', seekerCountry: 'TH' },
  { text: 'หาผู้ผลิตชิ้นส่วนยานยนต์ญี่ปุ่น', lang: 'th', seekerCountry: 'TH' },
  { text: 'หาบริษัทเครื่องสำอางญี่ปุ่น', lang: 'th', seekerCountry: 'TH' },
  { text: 'Japanese food machinery maker', lang: 'en', seekerCountry: 'TH' },
];

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const searches = Number(args.searches ?? 10_000);
  const profileCount = Number(args.profiles ?? 1000);
  const datasetPath =
    typeof args.dataset === 'string'
      ? args.dataset
      : path.resolve(__dirname, '../../../shared/eval/sme-dev.json');
  const dataset = fs.existsSync(datasetPath)
    ? (JSON.parse(fs.readFileSync(datasetPath, 'utf8')) as Dataset)
    : undefined;
  if (!dataset)
    process.stderr.write(`bench:alerts: ${datasetPath} not found: synthetic profiles and requests instead\n`);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kakehashi-bench-alerts-'));
  const config = loadConfig({
    ...process.env,
    DATA_DIR: dataDir,
    LOG_LEVEL: 'error',
    SEED_ON_FIRST_START: 'false',
    PORT: '0',
    HOST: '127.0.0.1',
    ADMIN_API_TOKEN: 'bench-alerts-admin-token-0123456789',
    // The check runs when the index changes; the timer is only a fallback.
    ALERT_CHECK_MS: '3600000',
  });
  const rss = trackPeakRss();
  const running = await startApp(config, { seed: false, listen: false });
  try {
    const pool = running.database.pool;
    const matcher = running.app.get(MatchService);
    const requests = dataset
      ? dataset.queries.map((q) => ({ text: q.text, lang: q.lang, seekerCountry: q.seekerCountry ?? 'JP' }))
      : SYNTHETIC_REQUESTS;
    const criteria = new Map<string, AlertCriteria>();
    for (const r of requests) criteria.set(r.text, await matcher.alertCriteria(r));

    // N users, each with one saved search (made a day ago, before the profiles joined).
    const t0 = performance.now();
    const random = rng(7);
    const CHUNK = 1000;
    for (let i = 0; i < searches; i += CHUNK) {
      const rows = Array.from({ length: Math.min(CHUNK, searches - i) }, (_, k) => {
        const r = requests[Math.floor(random() * requests.length)];
        const c = criteria.get(r.text)!;
        return {
          visitor: `bench-visitor-${i + k}`,
          lang: r.lang,
          text: r.text,
          target: c.targetCountry ?? null,
          codes: c.businessCodes,
          broader: c.broaderCodes,
          concepts: c.concepts,
          regions: c.regions,
        };
      });
      await pool.query(
        `WITH x AS (
           SELECT * FROM jsonb_to_recordset($1::jsonb) AS x(visitor text, lang text, text text, target text,
             codes text[], broader text[], concepts text[], regions text[])
         ),
         u AS (
           INSERT INTO chat_users (channel, channel_user_id, lang, lang_source)
           SELECT 'web', x.visitor, x.lang, 'channel' FROM x RETURNING id, channel_user_id
         ),
         c AS (
           INSERT INTO chat_conversations (channel, channel_conversation_id, chat_user_id)
           SELECT 'web', u.channel_user_id, u.id FROM u
         )
         INSERT INTO saved_searches (chat_user_id, channel, address, lang, text, target_country, business_codes,
           broader_codes, concepts, regions, created_at)
         SELECT u.id, 'web', x.visitor, x.lang, x.text, x.target, x.codes, x.broader, x.concepts, x.regions,
                now() - interval '1 day'
         FROM x JOIN u ON u.channel_user_id = x.visitor`,
        [JSON.stringify(rows)],
      );
    }
    const setupS = (performance.now() - t0) / 1000;

    // The burst: M profiles published in one import.
    const profiles: CompanyProfileInput[] = dataset
      ? (dataset.profiles.slice(0, profileCount) as unknown as CompanyProfileInput[])
      : syntheticProfiles(profileCount, 42, 'alerts');
    const t1 = performance.now();
    await running.app
      .get(CompanyImportService)
      .import(
        { format: 'json', body: profiles },
        { dryRun: false, skipInvalid: true, actor: 'system:bench' },
      );
    const t2 = performance.now();
    await running.app.get(SearchIndexerService).waitUntilIdle();
    const t3 = performance.now();
    const worker = running.app.get(AlertWorker);
    // The index change started a pass already; run until one finds and sends nothing more.
    let passes = 0;
    for (;;) {
      passes++;
      const { matched, sent } = await worker.runNow();
      if (matched === 0 && sent === 0) break;
    }
    const t4 = performance.now();

    const { rows: stats } = await pool.query<{
      matched: number;
      users_matched: number;
      notified: number;
      users_alerted: number;
    }>(
      `SELECT count(*)::int AS matched, count(DISTINCT chat_user_id)::int AS users_matched,
              count(*) FILTER (WHERE notified_at IS NOT NULL)::int AS notified,
              (SELECT count(*)::int FROM alert_digests) AS users_alerted
       FROM alert_matches`,
    );
    // What was queued, read back from the users' threads: messages per user, and firms announced twice.
    const { rows: messages } = await pool.query<{ address: string; cards: string[] }>(
      `SELECT c.channel_conversation_id AS address,
              ARRAY(SELECT jsonb_array_elements(m.payload->'cards')->>'externalId') AS cards
       FROM chat_messages m JOIN chat_conversations c ON c.id = m.conversation_id
       WHERE m.direction = 'out' AND c.channel_conversation_id LIKE 'bench-visitor-%'`,
    );
    const perUser = new Map<string, number>();
    const announced = new Set<string>();
    let duplicates = 0;
    for (const m of messages) {
      perUser.set(m.address, (perUser.get(m.address) ?? 0) + 1);
      for (const card of m.cards) {
        const key = `${m.address}|${card}`;
        if (announced.has(key)) duplicates++;
        announced.add(key);
      }
    }
    const maxPerUser = Math.max(0, ...perUser.values());
    const alertS = (t4 - t3) / 1000;
    const totalS = (t4 - t1) / 1000;
    const report = {
      bench: 'alerts',
      database: 'embedded',
      searches,
      profiles: profiles.length,
      profilesFrom: dataset ? datasetPath : 'synthetic',
      distinctSearchTexts: requests.length,
      setupSeconds: +setupS.toFixed(1),
      importSeconds: +((t2 - t1) / 1000).toFixed(1),
      indexSeconds: +((t3 - t2) / 1000).toFixed(1),
      alertSeconds: +alertS.toFixed(1),
      checkSeconds: +(worker.spent.checkMs / 1000).toFixed(1),
      sendSeconds: +(worker.spent.sendMs / 1000).toFixed(1),
      publishToQueuedSeconds: +totalS.toFixed(1),
      passes,
      firmsFound: stats[0].matched,
      usersWithFirms: stats[0].users_matched,
      usersAlerted: stats[0].users_alerted,
      messagesQueued: messages.length,
      maxMessagesPerUser: maxPerUser,
      duplicateAnnouncements: duplicates,
      peakRssMb: rss.peakMb(),
      targetSeconds: TARGET_S,
      met: totalS <= TARGET_S && maxPerUser <= 1 && duplicates === 0,
    };
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    process.stdout.write(
      `alerts: ${searches} saved searches, ${profiles.length} profiles published → ${messages.length} messages to ` +
        `${perUser.size} users (${stats[0].matched} firms found) in ${totalS.toFixed(1)} s from publish ` +
        `(import ${report.importSeconds} s, index ${report.indexSeconds} s, alerts ${report.alertSeconds} s); ` +
        `max ${maxPerUser} message per user, ${duplicates} duplicates; target ${TARGET_S} s: ${report.met ? 'met' : 'NOT met'}\n`,
    );
  } finally {
    rss.stop();
    await running.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((err: Error) => {
  process.stderr.write(`bench:alerts failed: ${err.stack ?? err.message}\n`);
  process.exit(1);
});
