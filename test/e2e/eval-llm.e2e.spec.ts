import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { EvaluationReport } from '../../src/llm/evaluation/report';
import { type CandidateServers, startCandidateServers } from '../support/fake-llm-candidates';
import { SHARED_DIR, hasShared, sharedPath } from '../support/shared-data';

/**
 * `npm run eval:llm` as a user runs it: the built script in its own process, against two local OpenAI-compatible
 * servers (test/support/fake-llm-candidates.ts), one answering like a strong model (TALPCo's references, correct
 * readings, grounded replies) and one like a weak one. The report must rank the strong one first on every task and
 * route every output language to it. Needs the build (`npm test` runs it first).
 */
const SCRIPT = path.resolve(__dirname, '..', '..', 'dist', 'scripts', 'eval-llm.js');

function run(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [SCRIPT, ...args], {
      env: { PATH: process.env.PATH },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kakehashi-eval-llm-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('npm run eval:llm: bad input', () => {
  it('exits with 2 and says what is wrong for a missing or malformed endpoints file', async () => {
    const missing = await run(['--endpoints', path.join(dir, 'nope.json')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/nope\.json: no such file/);

    const malformed = path.join(dir, 'malformed.json');
    fs.writeFileSync(malformed, '[{"baseUrl": "http://127.0.0.1:1/v1", ');
    const bad = await run(['--endpoints', malformed]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/malformed\.json: not valid JSON/);

    const incomplete = path.join(dir, 'incomplete.json');
    fs.writeFileSync(incomplete, JSON.stringify([{ baseUrl: 'not a url' }]));
    const wrong = await run(['--endpoints', incomplete]);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toMatch(/0\.baseUrl/);
    expect(wrong.stderr).toMatch(/0\.model/);

    const sample = await run(['--endpoints', incomplete, '--sample', 'many']);
    expect(sample.code).toBe(2);
    expect(sample.stderr).toMatch(/--sample must be a whole number/);
  });
});

const describeIfData =
  hasShared('data', 'parallel', 'talpco-ja.txt') && hasShared('eval', 'sme-dev.json')
    ? describe
    : describe.skip;

describeIfData('npm run eval:llm against a strong and a weak endpoint', () => {
  let servers: CandidateServers;
  beforeAll(async () => {
    servers = await startCandidateServers(sharedPath('data', 'parallel'));
  });
  afterAll(() => servers?.close());

  it('ranks the strong endpoint first on every task and routes every language to it', async () => {
    if (!fs.existsSync(SCRIPT))
      throw new Error(`${SCRIPT} is missing: run npm run build first (npm test does it)`);
    const endpoints = path.join(dir, 'endpoints.json');
    // The weak one first, so a ranking that kept the file's order would fail.
    fs.writeFileSync(
      endpoints,
      JSON.stringify([
        { name: 'weak', baseUrl: `${servers.bad.url}/v1`, model: 'weak-model' },
        { name: 'strong', baseUrl: `${servers.good.url}/v1`, model: 'strong-model', apiKey: 'sk-canary-123' },
      ]),
    );
    const out = path.join(dir, 'report.json');
    const result = await run([
      '--endpoints',
      endpoints,
      '--sample',
      '12',
      '--json',
      out,
      '--shared',
      SHARED_DIR,
    ]);
    expect(result.stderr).not.toMatch(/eval:llm failed/);
    expect(result.code).toBe(0);
    const report = JSON.parse(fs.readFileSync(out, 'utf8')) as EvaluationReport;

    expect(report.sample).toBe(12);
    expect(report.data).toEqual({ pairs: 12, understandingRequests: 12, replyRequests: 12 });
    expect(report.ranking).toEqual({
      translation: ['strong', 'weak'],
      understanding: ['strong', 'weak'],
      replies: ['strong', 'weak'],
    });
    expect(report.routing).toMatchObject({ LLM: 'strong', LLM_TH: 'strong', LLM_JA: 'strong' });

    const [weak, strong] = report.endpoints;
    // The strong one answers with the references: every direction, English chains included, scores 100.
    for (const score of Object.values(strong.translation.chrf)) expect(score).toBe(100);
    for (const score of Object.values(weak.translation.chrf)) expect(score).toBeLessThan(20);
    expect(strong.translation.legs['ja→th'].deliveredRate).toBe(1);
    expect(weak.translation.legs['ja→th'].checkPassRate).toBe(0);
    expect(strong.translation.legs['ja→th'].tokensPerSentence).toBeGreaterThan(0);
    expect(strong.understanding.score).toBe(1);
    expect(weak.understanding.score).toBeLessThan(0.6);
    expect(strong.replies.passRate).toBe(1);
    expect(weak.replies.passRate).toBe(0);

    // The printed report: tables for both, the ranking and the routing; no key anywhere.
    expect(result.stdout).toMatch(/== strong \(strong-model at http:\/\/127\.0\.0\.1:\d+/);
    expect(result.stdout).toMatch(/translation\s+strong \(100\.0\) > weak/);
    expect(result.stdout).toMatch(/LLM_TH_\* → strong/);
    expect(result.stdout + result.stderr + fs.readFileSync(out, 'utf8')).not.toContain('sk-canary-123');
    // Progress went to stderr.
    expect(result.stderr).toMatch(/\[strong\] translation: 12\/12 \(100%\)/);
    // Only the two endpoints were called, and the strong one's key was sent to it alone.
    expect(servers.good.chatRequests().length).toBeGreaterThan(12 * 8);
    expect(servers.good.chatRequests().every((r) => r.headers.authorization === 'Bearer sk-canary-123')).toBe(
      true,
    );
    expect(servers.bad.chatRequests().some((r) => r.headers.authorization === 'Bearer sk-canary-123')).toBe(
      false,
    );
  }, 120_000);
});
