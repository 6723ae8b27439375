import * as fs from 'node:fs';
import { type PublicProfile, withProfileDefaults } from '../src/companies/company.model';
import { segmentWords } from '../src/language';
import { Lexicon } from '../src/matching/lexicon/lexicon';
import { readSeedLexicon, unknownBusinessCodes } from '../src/matching/lexicon/lexicon.service';
import { readSeedTaxonomy } from '../src/matching/taxonomy/business-taxonomy';
import { readProfileBusinesses } from '../src/matching/taxonomy/profile-businesses';
import { fail, parseArgs } from './cli-args';

/**
 * `npm run taxonomy:coverage -- --dataset <profiles.json> [--code 25] [--grep กลึง] [--unclassified] [--sample 30]`
 *
 * For curators of seeds/lexicon and seeds/taxonomy: reads a file of profiles (an export of
 * /api/companies/export, or a benchmark dataset's `profiles`) with the seed vocabulary, as the indexer would, and
 * shows how they are read: the share of profiles no kind of business is read from and the words they use most
 * (what to add), the profiles filed under a code, or how profiles containing a word are read. No database.
 */
function main() {
  const args = parseArgs();
  if (typeof args.dataset !== 'string')
    fail(
      'Usage: npm run taxonomy:coverage -- --dataset <file> [--code C] [--grep WORD] [--unclassified] [--sample N]',
    );
  const taxonomy = readSeedTaxonomy();
  const lexicon = new Lexicon(readSeedLexicon(), taxonomy);
  const problems = unknownBusinessCodes(lexicon.concepts, taxonomy);
  if (problems.length > 0) process.stdout.write(`PROBLEMS\n  ${problems.join('\n  ')}\n`);
  const file = JSON.parse(fs.readFileSync(args.dataset, 'utf8')) as unknown;
  const raw = (Array.isArray(file) ? file : (file as { profiles: unknown[] }).profiles) as Array<
    Partial<PublicProfile> & { externalId: string }
  >;
  const profiles = raw.map((p) => {
    const profile = withProfileDefaults(p);
    const text = [p.summary?.th, p.summary?.ja, p.summary?.en].filter(Boolean).join(' / ');
    return { id: p.externalId, text, read: readProfileBusinesses(profile, lexicon) };
  });
  const sample = Number(args.sample ?? 30);
  // A fixed spread over the file rather than the first N: the same sample on every run.
  const pick = <T>(xs: T[]) =>
    xs.filter((_, i) => i % Math.max(1, Math.floor(xs.length / sample)) === 0).slice(0, sample);
  const show = (p: (typeof profiles)[number]) =>
    process.stdout.write(
      `  ${p.read
        .slice(0, 3)
        .map((b) => `${b.code}:${b.weight.toFixed(2)}`)
        .join(' ')
        .padEnd(34)} ${p.id}  ${p.text.slice(0, 100)}\n`,
    );
  const unread = profiles.filter((p) => p.read.length === 0);
  process.stdout.write(
    `${profiles.length} profiles; no kind of business read from ${unread.length} (${((100 * unread.length) / Math.max(1, profiles.length)).toFixed(1)}%)\n`,
  );
  if (typeof args.code === 'string') {
    const code = args.code;
    const under = profiles.filter((p) => p.read[0] && taxonomy.isWithin(p.read[0].code, code));
    process.stdout.write(
      `\nstrongest kind of business under ${code} (${taxonomy.label(code, 'en')}): ${under.length}\n`,
    );
    const byCode = new Map<string, number>();
    for (const p of under) byCode.set(p.read[0].code, (byCode.get(p.read[0].code) ?? 0) + 1);
    for (const [c, n] of [...byCode].sort((a, b) => b[1] - a[1]))
      process.stdout.write(`  ${c.padEnd(6)} ${String(n).padStart(6)}  ${taxonomy.label(c, 'en')}\n`);
    pick(under).forEach(show);
  }
  if (typeof args.grep === 'string') {
    const word = args.grep;
    const hits = profiles.filter((p) => p.text.includes(word));
    process.stdout.write(`\nprofiles containing "${word}": ${hits.length}\n`);
    pick(hits).forEach(show);
  }
  if (args.unclassified === true) {
    const counts = new Map<string, number>();
    for (const p of unread)
      for (const w of new Set(segmentWords(p.text))) counts.set(w, (counts.get(w) ?? 0) + 1);
    process.stdout.write('\nmost frequent words where nothing is read:\n  ');
    process.stdout.write(
      [...counts]
        .sort((a, b) => b[1] - a[1])
        .slice(0, 150)
        .map(([w, n]) => `${w}:${n}`)
        .join('  ') + '\n',
    );
    pick(unread).forEach(show);
  }
}

main();
