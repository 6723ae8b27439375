import * as fs from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { RunningApp } from '../../src/bootstrap/start-app';
import { artifactPath, buildWebApps, describeInBrowser, launchBrowser } from '../support/browser';
import { STAFF_PASSWORD, createStaff } from '../support/console-session';
import { adminAuth, startTestApp } from '../support/test-app';
import { SearchIndexerService } from '../../src/matching/indexing/search-indexer.service';

const CANARY = 'canary-browser-5d1e@private.example';

/** The parts of GET /api/companies/{id} these specs read. */
interface ApiProfile {
  status: string;
  names: Record<string, string>;
  summary: Record<string, string>;
  description: Record<string, string>;
  contact: Record<string, string>;
}

describeInBrowser('staff console in a real browser', () => {
  let app: RunningApp;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  /** Uncaught errors in any console page: each test ends by asserting there were none. */
  const pageErrors: Error[] = [];
  afterEach(() => expect(pageErrors.splice(0)).toEqual([]));

  const api = async (path: string) => {
    const res = await fetch(`${app.url}${path}`, { headers: adminAuth });
    return { status: res.status, body: (await res.json()) as ApiProfile };
  };

  /** A fresh browser profile (own cookies and localStorage), signed in as `email`. */
  async function signedIn(email: string, locale = 'en-GB'): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale });
    contexts.push(context);
    const page = await context.newPage();
    page.on('pageerror', (err) => pageErrors.push(err));
    await page.goto(`${app.url}/console/profiles`);
    await page.waitForURL(/\/console\/sign-in/);
    await page.fill('input[name=email]', email);
    await page.fill('input[name=password]', STAFF_PASSWORD);
    await page.click('button[type=submit]');
    await page.waitForURL(/\/console\/profiles/);
    await page.waitForSelector('[data-testid=profiles-table] tbody tr');
    return page;
  }

  /** Full-page screenshot, capped in height (an audit log can be very long). */
  const shot = async (page: Page, name: string) => {
    const height = await page.evaluate(() => document.documentElement.scrollHeight);
    await page.screenshot({
      path: artifactPath(name),
      fullPage: height <= 3000,
      clip: height > 3000 ? { x: 0, y: 0, width: 1440, height: 3000 } : undefined,
    });
  };

  beforeAll(async () => {
    buildWebApps();
    app = await startTestApp({}, { seed: true });
    await createStaff(app, 'admin@kakehashi.test', 'admin');
    await createStaff(app, 'curator@kakehashi.test', 'curator');
    await createStaff(app, 'viewer@kakehashi.test', 'viewer');
    browser = await launchBrowser();
  }, 120000);

  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.close();
    await app?.close();
  });

  it('sends a visitor without a session to sign-in, then into the page they asked for', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    contexts.push(context);
    const page = await context.newPage();
    await page.goto(`${app.url}/console/dashboard`);
    await page.waitForURL(/\/console\/sign-in\?next=%2Fconsole%2Fdashboard/);
    await page.fill('input[name=email]', 'curator@kakehashi.test');
    await page.fill('input[name=password]', 'wrong password!');
    await page.click('button[type=submit]');
    await page.waitForSelector('.alert-bad');
    await shot(page, '00-sign-in-failed.png');
    await page.fill('input[name=password]', STAFF_PASSWORD);
    await page.click('button[type=submit]');
    await page.waitForURL(/\/console\/dashboard$/);
    await page.waitForSelector('.stat-value');
    await shot(page, '01-dashboard.png');
    const cookies = await context.cookies();
    const session = cookies.find((c) => c.name === 'kkh_session')!;
    expect(session.httpOnly).toBe(true);
    expect(session.sameSite).toBe('Strict');
    // The cookie is invisible to page scripts.
    expect(await page.evaluate(() => document.cookie)).not.toContain('kkh_session');
  });

  it('creates a Thai profile without a Japanese name, flags it, fills it and publishes it', async () => {
    const page = await signedIn('curator@kakehashi.test');
    await shot(page, '02-profiles-list.png');
    await page.click('text=+ New profile');
    await page.waitForURL(/\/console\/profiles\/new$/);
    await page.fill('[data-field=externalId]', 'TH-BROWSER-1');
    await page.selectOption('[data-field=country]', 'TH');
    await page.fill('[data-field="names.th"]', 'บริษัท สยามพรีซิชั่นโมลด์ จำกัด');
    await page.fill('[data-field="names.en"]', 'Siam Precision Mould Co., Ltd.');
    await page.fill(
      '[data-field="summary.en"]',
      'Thai maker of precision plastic injection moulds for automotive parts.',
    );
    await page.fill('[data-field="summary.th"]', 'ผู้ผลิตแม่พิมพ์ฉีดพลาสติกความแม่นยำสูงสำหรับชิ้นส่วนยานยนต์');
    await page.fill('[data-field="offerings.en"]', 'precision injection moulds\nmould maintenance');
    await page.fill('[data-field="seeking.en"]', 'Japanese technology partner');
    await page.fill('[data-field="contact.email"]', CANARY);
    // Translation needs an LLM; this server has none, so the button is disabled and says why.
    expect(await page.isDisabled('[data-testid=translate-missing]')).toBe(true);
    await page.waitForSelector('[data-testid=translate-unavailable]');
    await page.click('[data-testid=save]');
    await page.waitForURL(/\/console\/profiles\/TH-BROWSER-1$/);
    await page.waitForSelector('[data-field="names.th"]');
    expect(await page.getAttribute('[data-field="names.ja"]', 'class')).toContain('is-missing');
    await shot(page, '03-editor-japanese-name-missing.png');

    // The list flags it too, and the "missing Japanese name" filter finds it.
    await page.goto(`${app.url}/console/profiles?missingLang=ja&q=browser`);
    const row = page.locator('tr[data-id="TH-BROWSER-1"]');
    await row.waitFor();
    expect(await row.locator('.badge-bad').innerText()).toMatch(/JA/);
    expect(await page.content()).not.toContain(CANARY);
    await shot(page, '04-list-flagged-missing-ja.png');

    await row.click();
    await page.waitForSelector('[data-field="names.ja"]');
    await page.fill('[data-field="names.ja"]', 'サイアム精密金型株式会社');
    await page.fill(
      '[data-field="summary.ja"]',
      '自動車部品向け精密射出成形金型を製造するタイの金型メーカー。',
    );
    await page.fill('[data-field="offerings.ja"]', '精密射出成形金型\n金型メンテナンス');
    await page.fill('[data-field="seeking.ja"]', '日本の技術パートナー');
    await page.click('[data-testid=publish]');
    await page.waitForSelector('[data-testid=notice].alert-ok');
    expect(await page.getAttribute('[data-field="names.ja"]', 'class')).not.toContain('is-missing');
    const saved = await api('/api/companies/TH-BROWSER-1');
    expect(saved.body.status).toBe('published');
    expect(saved.body.names.ja).toBe('サイアム精密金型株式会社');
    expect(saved.body.contact.email).toBe(CANARY);
    await shot(page, '05-editor-published.png');

    await page.click('role=tab[name="Preview card"]');
    await page.waitForSelector('[data-testid=match-card]');
    expect(await page.innerText('[data-testid=match-card]')).toContain('サイアム精密金型株式会社');
    await shot(page, '06-preview-as-japanese-user.png');
    await page.click('role=tab[name="History"]');
    await page.waitForSelector('[data-testid=history] tbody tr');
    expect(await page.locator('[data-testid=history] tbody tr').count()).toBeGreaterThanOrEqual(2);
    expect(await page.innerText('[data-testid=history]')).not.toContain(CANARY);
    await shot(page, '07-history.png');
  });

  it('finds the profile through "try matching" with a Japanese request', async () => {
    // The matcher indexes changed profiles in the background; wait until the new one is in.
    await app.app.get(SearchIndexerService, { strict: false }).waitUntilIdle();
    const page = await signedIn('curator@kakehashi.test');
    await page.goto(`${app.url}/console/match`);
    await page.fill('[data-testid=match-text]', 'タイで精密金型のメーカーを探しています');
    await page.selectOption('[data-testid=match-limit]', '20');
    await page.click('[data-testid=match-run]');
    const outcome = await Promise.race([
      page.waitForSelector('[data-testid=match-results]').then(() => 'results' as const),
      page.waitForSelector('.placeholder').then(() => 'no-matcher' as const),
      page.waitForSelector('.empty').then(() => 'empty' as const),
    ]);
    await shot(page, '08-try-matching.png');
    if (outcome === 'no-matcher') {
      // The matching engine (POST /api/match) is another issue; until it is served, the page says so.
      const probe = await fetch(`${app.url}/api/match`, {
        method: 'POST',
        headers: { ...adminAuth, 'Content-Type': 'application/json' },
        body: JSON.stringify({ text: 'x' }),
      });
      expect(probe.status).toBe(404);
      console.warn('PENDING: /api/match is not served yet; the try-matching page shows its placeholder.');
      return;
    }
    expect(outcome).toBe('results');
    const hit = page.locator('[data-testid=match-results] tr[data-id="TH-BROWSER-1"]');
    expect(await hit.count()).toBe(1);
    // The explanation is written for the Japanese seeker, and the request was understood as Japanese.
    expect(await hit.locator('td').nth(3).innerText()).toMatch(/[\u3040-\u30ff\u4e00-\u9fff]/);
    expect(await page.innerText('[data-testid=match-understood]')).toContain('Japanese');
  });

  it('imports a CSV with one bad row: the row is reported, the rest imported on request', async () => {
    const page = await signedIn('curator@kakehashi.test');
    await page.goto(`${app.url}/console/import`);
    const csv = [
      'externalId,country,status,names.ja,names.th,names.en',
      'TH-CSV-1,TH,draft,,บริษัท ทดสอบนำเข้า หนึ่ง จำกัด,Import Test One',
      'TH-CSV-2,XX,draft,,บริษัท ทดสอบนำเข้า สอง จำกัด,Import Test Two',
      'JP-CSV-3,JP,draft,インポート試験株式会社,,Import Test Three',
    ].join('\n');
    const file = artifactPath('import-one-bad-row.csv');
    fs.writeFileSync(file, csv);
    await page.setInputFiles('[data-testid=import-file]', file);
    await page.waitForSelector('[data-testid=rejected-rows] tbody tr');
    const rows = page.locator('[data-testid=rejected-rows] tbody tr');
    expect(await rows.count()).toBe(1);
    expect(await rows.first().getAttribute('data-row')).toBe('2');
    // Where and why as a person reads them: the file's line (the header is line 1), a plain sentence.
    expect(await rows.first().getAttribute('data-line')).toBe('3');
    expect(await rows.first().innerText()).toContain('Line 3');
    expect(await rows.first().innerText()).toContain('Country must be one of: JP, TH.');
    expect((await api('/api/companies/TH-CSV-1')).status).toBe(404);
    await shot(page, '09-import-preview-bad-row.png');
    await page.click('[data-testid=import-confirm]');
    await page.waitForSelector('[data-testid=import-done]');
    expect(await page.innerText('[data-testid=import-done]')).toMatch(/2 new.*1 skipped/);
    expect((await api('/api/companies/TH-CSV-1')).status).toBe(200);
    expect((await api('/api/companies/JP-CSV-3')).status).toBe(200);
    expect((await api('/api/companies/TH-CSV-2')).status).toBe(404);
    await shot(page, '10-import-done.png');
  });

  it('edits one profile in two tabs: the second save merges, shows the clash, loses no text', async () => {
    const first = await signedIn('curator@kakehashi.test');
    const second = await first.context().newPage();
    for (const p of [first, second]) {
      await p.goto(`${app.url}/console/profiles/JP-CSV-3`);
      await p.waitForSelector('[data-field="names.en"]');
    }
    await first.fill('[data-field="names.en"]', 'Import Test Three (edited in tab A)');
    await first.fill('[data-field="summary.en"]', 'Summary written in tab A.');
    await first.click('[data-testid=save]');
    await first.waitForSelector('[data-testid=notice].alert-ok');

    await second.fill('[data-field="names.en"]', 'Import Test Three (edited in tab B)');
    await second.fill('[data-field="description.en"]', 'Description written in tab B.');
    await second.click('[data-testid=save]');
    await second.waitForSelector('[data-testid=conflicts]');
    const clash = second.locator('[data-testid=conflicts] .conflict');
    expect(await clash.count()).toBe(1);
    expect(await clash.getAttribute('data-key')).toBe('names.en');
    expect(await clash.locator('.conflict-mine').innerText()).toBe('Import Test Three (edited in tab B)');
    expect(await clash.locator('.conflict-theirs').innerText()).toBe('Import Test Three (edited in tab A)');
    // My text is still in the form; their other change is merged in.
    expect(await second.inputValue('[data-field="names.en"]')).toBe('Import Test Three (edited in tab B)');
    expect(await second.inputValue('[data-field="description.en"]')).toBe('Description written in tab B.');
    expect(await second.inputValue('[data-field="summary.en"]')).toBe('Summary written in tab A.');
    expect(await second.isDisabled('[data-testid=save]')).toBe(true);
    await shot(second, '11-edit-conflict.png');
    await clash.locator('text=Keep mine').click();
    await second.click('[data-testid=save]');
    await second.waitForSelector('[data-testid=notice].alert-ok');
    const saved = await api('/api/companies/JP-CSV-3');
    expect(saved.body.names.en).toBe('Import Test Three (edited in tab B)');
    expect(saved.body.summary.en).toBe('Summary written in tab A.');
    expect(saved.body.description.en).toBe('Description written in tab B.');
  });

  it('switches the UI language, and remembers it in this browser and for the account', async () => {
    const page = await signedIn('admin@kakehashi.test');
    await page.selectOption('[data-testid=ui-lang]', 'ja');
    await page.waitForSelector('nav >> text=企業プロフィール');
    expect(await page.getAttribute('html', 'lang')).toBe('ja');
    await page.reload();
    await page.waitForSelector('nav >> text=企業プロフィール');
    await shot(page, '12-profiles-ja.png');
    await page.goto(`${app.url}/console/profiles/TH-BROWSER-1`);
    await page.waitForSelector('[data-field="names.ja"]');
    await shot(page, '13-editor-ja.png');
    await page.selectOption('[data-testid=ui-lang]', 'th');
    await page.waitForSelector('nav >> text=โปรไฟล์บริษัท');
    await page.goto(`${app.url}/console/dashboard`);
    await page.waitForSelector('.stat-value');
    await shot(page, '14-dashboard-th.png');
    // A weak password is refused in the reader's language, saying why, readable inside the page.
    await page.goto(`${app.url}/console/staff`);
    await page.fill('form.inline-form input[type=email]', 'weak@kakehashi.test');
    await page.fill('form.inline-form input[type=password]', 'Password2024!');
    await page.click('form.inline-form button[type=submit]');
    const refusal = page.locator('.alert-bad li');
    await refusal.waitFor();
    expect(await refusal.innerText()).toContain('รหัสผ่านนี้ใช้กันทั่วไป');
    const box = (await refusal.boundingBox())!;
    expect(box.x).toBeGreaterThanOrEqual(0);
    expect(box.x + box.width).toBeLessThanOrEqual(1280);
    expect(await refusal.evaluate((el) => parseFloat(getComputedStyle(el).fontSize))).toBeGreaterThanOrEqual(
      12,
    );
    await shot(page, '14b-staff-weak-password-th.png');
    // A new browser (no local choice) takes the account's remembered language.
    const other = await signedIn('admin@kakehashi.test', 'en-US');
    await other.waitForSelector('nav >> text=โปรไฟล์บริษัท');
    await other.selectOption('[data-testid=ui-lang]', 'en');
    await other.waitForSelector('nav >> text=Profiles');
    for (const [path, name] of [
      ['/console/staff', '15-staff.png'],
      ['/console/tokens', '16-tokens.png'],
      ['/console/audit', '17-audit.png'],
      ['/console/glossary', '18-glossary.png'],
      ['/console/conversations', '19-conversations.png'],
    ]) {
      await other.goto(`${app.url}${path}`);
      await other.waitForSelector('.page-header');
      await other.waitForTimeout(150);
      await shot(other, name);
    }
    expect(await other.content()).not.toContain(CANARY);
  });

  it('a viewer reads profiles but cannot save, and sees no private contact data', async () => {
    const page = await signedIn('viewer@kakehashi.test');
    await page.goto(`${app.url}/console/profiles/TH-BROWSER-1`);
    await page.waitForSelector('[data-field="names.ja"]');
    expect(await page.locator('[data-testid=save]').count()).toBe(0);
    expect(await page.isDisabled('[data-field="names.ja"]')).toBe(true);
    expect(await page.locator('[data-field="contact.email"]').count()).toBe(0);
    expect(await page.content()).not.toContain(CANARY);
    await shot(page, '20-viewer-read-only.png');
    // Even a hand-made request from the page is refused.
    const status = await page.evaluate(async () => {
      const session = (await (await fetch('/api/console/session')).json()) as { csrfToken: string };
      const res = await fetch('/api/companies/TH-BROWSER-1', {
        method: 'PATCH',
        headers: { 'Content-Type': 'application/merge-patch+json', 'X-CSRF-Token': session.csrfToken },
        body: JSON.stringify({ status: 'archived' }),
      });
      return res.status;
    });
    expect(status).toBe(403);

    // Signing out ends the session: the pages send the browser back to sign-in.
    await page.click('text=Sign out >> nth=0');
    await page.waitForURL(/\/console\/sign-in$/);
    await page.goto(`${app.url}/console/profiles/TH-BROWSER-1`);
    await page.waitForURL(/\/console\/sign-in\?next=/);
    expect(await page.locator('[data-field="names.ja"]').count()).toBe(0);
  });
});
