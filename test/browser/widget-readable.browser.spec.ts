import type { Browser, Page } from 'playwright-core';
import type { RunningApp } from '../../src/bootstrap/start-app';
import { SearchIndexerService } from '../../src/matching/indexing/search-indexer.service';
import { artifactPath, buildWebApps, describeInBrowser, launchBrowser } from '../support/browser';
import { startTestApp } from '../support/test-app';

/**
 * The widget as a person meets it on the demo page (which says `<html lang="ja">` and sets no data-lang): at
 * desktop and phone sizes, for a Japanese, a Thai and an English browser, the widget speaks the browser's
 * language, and the company cards of an answer are readable: tall enough to show name, text and buttons, inside
 * the viewport once scrolled to, labelled in the reader's language, with no horizontal overflow and no console
 * error. Screenshots land in test/artifacts.
 */
const SIZES = [
  { name: 'desktop', width: 1280, height: 800 },
  { name: 'phone', width: 390, height: 844 },
] as const;

const READERS = [
  {
    lang: 'ja',
    locale: 'ja-JP',
    request: 'タイで自動車部品を作っている会社を探しています',
    send: '送信',
    flags: ['タイ'],
    script: /[\u3040-\u30ff\u4e00-\u9fff]/,
  },
  {
    lang: 'th',
    locale: 'th-TH',
    request: 'กำลังหาบริษัทญี่ปุ่นที่ผลิตแม่พิมพ์',
    send: 'ส่ง',
    flags: ['ญี่ปุ่น'],
    script: /[\u0e00-\u0e7f]/,
  },
  {
    lang: 'en',
    locale: 'en-US',
    request: 'Thai distributor for Japanese cosmetics',
    send: 'Send',
    flags: ['Thailand'],
    script: /[A-Za-z]/,
  },
] as const;

const W = '[data-kakehashi] >> css=';

describeInBrowser('the widget as a person sees it', () => {
  let app: RunningApp;
  let browser: Browser;

  beforeAll(async () => {
    buildWebApps();
    app = await startTestApp({}, { seed: true });
    await app.app.get(SearchIndexerService).waitUntilIdle();
    browser = await launchBrowser();
  }, 120000);

  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  async function openDemo(locale: string, size: { width: number; height: number }) {
    const context = await browser.newContext({ viewport: size, locale });
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(`console error: ${m.text()}`);
    });
    await page.goto(`${app.url}/`);
    await page.waitForSelector('[data-kakehashi]', { state: 'attached' });
    await page.locator(`${W}button.bubble`).click();
    await page.locator(`${W}.msg.bot`).first().waitFor();
    return { page, problems };
  }

  /** Sizes and places of what the reader must be able to read, measured in the page. */
  async function layout(page: Page) {
    return page.evaluate(async () => {
      const root = document.querySelector('[data-kakehashi]')!.shadowRoot!;
      const cards = Array.from(root.querySelectorAll<HTMLElement>('.card'));
      const boxes = [];
      for (const card of cards) {
        // As a reader swipes the strip to each card in turn (the strip snaps to each card's start).
        card.scrollIntoView({ block: 'nearest', inline: 'start', behavior: 'instant' });
        await new Promise((done) => setTimeout(done, 250));
        const r = card.getBoundingClientRect();
        const name = card.querySelector('h3')!.getBoundingClientRect();
        const button = card.querySelector('button.primary')?.getBoundingClientRect();
        boxes.push({
          top: r.top,
          bottom: r.bottom,
          left: r.left,
          right: r.right,
          height: r.height,
          nameHeight: name.height,
          buttonVisible: !!button && button.height > 20 && button.bottom <= r.bottom + 1,
        });
      }
      const cardTexts = cards.map((c) => c.querySelector('p')?.textContent ?? '');
      return {
        boxes,
        cardTexts,
        flags: cards.map((c) => c.querySelector('.flag')?.textContent ?? ''),
        placeholder: root.querySelector('textarea')!.placeholder,
        send: root.querySelector('form button[type=submit]')!.textContent,
        viewport: { width: window.innerWidth, height: window.innerHeight },
        pageOverflow: document.documentElement.scrollWidth - window.innerWidth,
        panel: root.querySelector('.panel')!.getBoundingClientRect().toJSON() as DOMRect,
      };
    });
  }

  for (const size of SIZES) {
    for (const reader of READERS) {
      it(`shows readable ${reader.lang} cards at ${size.name} size (${size.width}×${size.height})`, async () => {
        const { page, problems } = await openDemo(reader.locale, size);
        // The greeting and the widget's own labels are in the browser's language, not the page's Japanese.
        const greeting = await page.locator(`${W}.msg.bot`).first().textContent();
        expect(greeting).toMatch(reader.script);
        await page.locator(`${W}textarea`).fill(reader.request);
        await page.keyboard.press('Enter');
        await page.locator(`${W}.card`).first().waitFor({ timeout: 15000 });
        await page.waitForTimeout(300);
        const seen = await layout(page);
        await page.screenshot({ path: artifactPath(`widget-${reader.lang}-${size.name}.png`) });

        expect(seen.boxes.length).toBeGreaterThanOrEqual(3);
        for (const box of seen.boxes) {
          expect(box.height).toBeGreaterThanOrEqual(100);
          expect(box.nameHeight).toBeGreaterThan(10);
          expect(box.buttonVisible).toBe(true);
          expect(box.top).toBeGreaterThanOrEqual(0);
          expect(box.left).toBeGreaterThanOrEqual(0);
          expect(box.bottom).toBeLessThanOrEqual(seen.viewport.height);
          expect(box.right).toBeLessThanOrEqual(seen.viewport.width);
        }
        // Labels in the reader's language: the country flags, the compose box and its button, the card text.
        expect(new Set(seen.flags)).toEqual(new Set(reader.flags));
        expect(seen.send).toBe(reader.send);
        expect(seen.placeholder).toMatch(reader.script);
        for (const text of seen.cardTexts) expect(text).toMatch(reader.script);
        expect(seen.panel.right).toBeLessThanOrEqual(seen.viewport.width);
        expect(seen.panel.left).toBeGreaterThanOrEqual(0);
        expect(seen.pageOverflow).toBeLessThanOrEqual(0);
        expect(problems).toEqual([]);
        await page.context().close();
      });
    }
  }

  it('follows the language the visitor writes in, and the visitor’s own choice after that', async () => {
    const { page, problems } = await openDemo('ja-JP', SIZES[1]);
    expect(await page.locator(`${W}form button[type=submit]`).textContent()).toBe('送信');
    await page.locator(`${W}textarea`).fill('กำลังหาบริษัทญี่ปุ่นที่ผลิตแม่พิมพ์');
    await page.keyboard.press('Enter');
    await page.locator(`${W}.card`).first().waitFor({ timeout: 15000 });
    await expect(page.locator(`${W}form button[type=submit]`).textContent()).resolves.toBe('ส่ง');
    expect(await page.locator(`${W}.card .flag`).first().textContent()).toBe('ญี่ปุ่น');
    expect(await page.locator(`${W}select`).inputValue()).toBe('th');

    // Picking English in the selector wins over the language written, and survives a reload.
    await page.locator(`${W}select`).selectOption('en');
    await expect(page.locator(`${W}form button[type=submit]`).textContent()).resolves.toBe('Send');
    await page.reload();
    await page.locator(`${W}button.bubble`).click();
    await expect(page.locator(`${W}form button[type=submit]`).textContent()).resolves.toBe('Send');
    expect(await page.locator(`${W}.card .flag`).first().textContent()).toBe('Japan');
    expect(problems).toEqual([]);
    await page.context().close();
  });
});
