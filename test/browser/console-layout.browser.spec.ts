import * as fs from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import type { RunningApp } from '../../src/bootstrap/start-app';
import { SearchIndexerService } from '../../src/matching/indexing/search-indexer.service';
import { artifactPath, buildWebApps, describeInBrowser, launchBrowser } from '../support/browser';
import { STAFF_PASSWORD, createStaff } from '../support/console-session';
import { startTestApp } from '../support/test-app';

/**
 * Every console page as staff see it, at desktop (1280×800) and phone (390×844) sizes, with the UI in Japanese
 * and in Thai: nothing runs past the page's width (no sideways scrolling, no table pushing out of its card), the
 * top bar does not cover the logo, and the browser logs no error. Screenshots land in test/artifacts.
 */
const SIZES = [
  { name: 'desktop', width: 1280, height: 800 },
  { name: 'phone', width: 390, height: 844 },
] as const;
const LANGS = ['ja', 'th'] as const;
const PAGES = [
  'dashboard',
  'profiles',
  'profiles/seed:th-001',
  'profiles/new',
  'import',
  'glossary',
  'match',
  'conversations',
  'introductions',
  'rooms',
  'audit',
  'staff',
  'tokens',
];

/** A CSV with rows the import must reject, so its table of invalid rows is on the page. */
const BAD_CSV = [
  'externalId,country,status,names.ja,names.th,names.en,employees,industries',
  'TH-LAYOUT-1,XX,draft,,บริษัท ทดสอบ หนึ่ง จำกัด,A very long company name that goes on and on Co. Ltd.,many,',
  'TH-LAYOUT-2,TH,draft,,,,12,broken industry cell without a scheme separator at all',
].join('\n');

describeInBrowser('console layout at desktop and phone sizes, in Japanese and Thai', () => {
  let app: RunningApp;
  let browser: Browser;

  beforeAll(async () => {
    buildWebApps();
    app = await startTestApp({}, { seed: true });
    await app.app.get(SearchIndexerService).waitUntilIdle();
    await createStaff(app, 'layout@kakehashi.test', 'admin');
    browser = await launchBrowser();
  }, 120000);

  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  /** What would make a person scroll sideways, or hide something under something else. */
  async function overflow(page: Page) {
    return page.evaluate(() => {
      const width = document.documentElement.clientWidth;
      const sticking: string[] = [];
      for (const el of Array.from(document.querySelectorAll<HTMLElement>('.layout *'))) {
        const r = el.getBoundingClientRect();
        if (r.width === 0 || r.height === 0) continue;
        // Inside a scrolling box (a wide table's wrapper) is fine: the box scrolls, not the page.
        let scrolls = false;
        for (let p = el.parentElement; p && !scrolls; p = p.parentElement) {
          const s = getComputedStyle(p);
          scrolls = (s.overflowX === 'auto' || s.overflowX === 'scroll') && p.clientWidth < p.scrollWidth;
        }
        if (!scrolls && r.right > width + 1) sticking.push(`${el.tagName.toLowerCase()}.${el.className}`);
      }
      const logo = document.querySelector('.brand')?.getBoundingClientRect();
      const covering = logo
        ? Array.from(document.querySelectorAll<HTMLElement>('.topbar > *'))
            .map((el) => el.getBoundingClientRect())
            .some(
              (r) => r.left < logo.right && r.right > logo.left && r.top < logo.bottom && r.bottom > logo.top,
            )
        : false;
      return {
        pageWidth: document.documentElement.scrollWidth,
        width,
        sticking: [...new Set(sticking)].slice(0, 5),
        covering,
      };
    });
  }

  for (const lang of LANGS) {
    for (const size of SIZES) {
      it(`every page fits at ${size.name} size with the UI in ${lang}`, async () => {
        const context = await browser.newContext({
          viewport: { width: size.width, height: size.height },
          locale: lang === 'ja' ? 'ja-JP' : 'th-TH',
        });
        await context.addInitScript((l) => localStorage.setItem('kakehashi.console.lang', l), lang);
        const page = await context.newPage();
        const problems: string[] = [];
        page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
        page.on('console', (m) => {
          if (m.type() === 'error') problems.push(`console error on ${page.url()}: ${m.text()}`);
        });
        await page.goto(`${app.url}/console/sign-in`);
        await page.fill('input[name=email]', 'layout@kakehashi.test');
        await page.fill('input[name=password]', STAFF_PASSWORD);
        await page.click('button[type=submit]');
        await page.waitForURL(/\/console\/(profiles|dashboard)/);

        const found: Record<string, unknown> = {};
        for (const path of PAGES) {
          await page.goto(`${app.url}/console/${path}`);
          await page.waitForSelector('h1');
          await page.waitForLoadState('networkidle');
          if (path === 'import') {
            const file = artifactPath('layout-bad-rows.csv');
            fs.writeFileSync(file, BAD_CSV);
            await page.setInputFiles('[data-testid=import-file]', file);
            await page.waitForSelector('[data-testid=rejected-rows] tbody tr');
          }
          if (path === 'match') {
            await page.fill('.main textarea', 'タイの自動車部品メーカー');
            await page.click('.main form button[type=submit]');
            await page.waitForLoadState('networkidle');
          }
          const seen = await overflow(page);
          if (seen.pageWidth > seen.width || seen.sticking.length > 0 || seen.covering) found[path] = seen;
          await page.screenshot({
            path: artifactPath(`console-${lang}-${size.name}-${path.replace(/[/:]/g, '_')}.png`),
          });
        }
        expect(found).toEqual({});
        expect(problems).toEqual([]);
        await context.close();
      });
    }
  }
});
