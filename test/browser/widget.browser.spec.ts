import type { Browser, Page } from 'playwright-core';
import type { RunningApp } from '../../src/bootstrap/start-app';
import { SearchIndexerService } from '../../src/matching/indexing/search-indexer.service';
import { artifactPath, buildWebApps, describeInBrowser, launchBrowser } from '../support/browser';
import { startTestApp } from '../support/test-app';

describeInBrowser('web chat widget in a real browser', () => {
  let app: RunningApp;
  let browser: Browser;

  beforeAll(async () => {
    buildWebApps();
    app = await startTestApp({ WEB_CHAT_SECRET: 'browser-test-web-chat-secret-0123' }, { seed: true });
    await app.app.get(SearchIndexerService).waitUntilIdle();
    browser = await launchBrowser();
  }, 120000);

  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  async function openDemo(locale: string): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: 1280, height: 860 }, locale });
    const page = await context.newPage();
    const errors: Error[] = [];
    page.on('pageerror', (err) => errors.push(err));
    await page.goto(`${app.url}/`);
    await page.waitForSelector('[data-kakehashi]', { state: 'attached' });
    expect(errors).toEqual([]);
    return page;
  }

  it('opens from the bubble, asks in Japanese and shows Thai company cards', async () => {
    const page = await openDemo('ja-JP');
    const bubble = page.locator('[data-kakehashi] >> css=button.bubble');
    await expect(bubble.getAttribute('aria-expanded')).resolves.toBe('false');
    // Keyboard: focus the bubble and press Enter.
    await bubble.focus();
    await page.keyboard.press('Enter');
    await expect(bubble.getAttribute('aria-expanded')).resolves.toBe('true');
    // The greeting arrives over socket.io.
    await page.locator('[data-kakehashi] >> css=.msg.bot').first().waitFor();
    const input = page.locator('[data-kakehashi] >> css=textarea');
    await input.fill('タイで自動車部品のメーカーを探しています');
    await page.keyboard.press('Enter');
    const card = page.locator('[data-kakehashi] >> css=.card');
    await card.first().waitFor({ timeout: 15000 });
    const count = await card.count();
    expect(count).toBeGreaterThanOrEqual(3);
    const countries = await page
      .locator('[data-kakehashi] >> css=.card')
      .evaluateAll((cards) => cards.map((c) => c.getAttribute('data-country')));
    expect(countries).toEqual(countries.map(() => 'TH'));
    expect(await page.locator('[data-kakehashi] >> css=.card .flag').first().textContent()).toBe('タイ');
    const titles = await page.locator('[data-kakehashi] >> css=.card h3').allTextContents();
    expect(titles.join(' ')).toMatch(/社/);
    await page.screenshot({ path: artifactPath('widget-ja-cards.png') });

    // A card button is a postback: details of the first company.
    await page.locator('[data-kakehashi] >> css=.card button.secondary').first().click();
    await page.waitForFunction(
      () =>
        (document.querySelector('[data-kakehashi]')?.shadowRoot?.querySelectorAll('.msg.bot').length ?? 0) >=
        3,
    );
    await page.screenshot({ path: artifactPath('widget-ja-details.png') });

    // Escape closes the panel and gives focus back to the bubble.
    await page.keyboard.press('Escape');
    await expect(bubble.getAttribute('aria-expanded')).resolves.toBe('false');

    // A reload keeps the transcript (resumes from the last seen message, no duplicates).
    await page.reload();
    await page.locator('[data-kakehashi] >> css=button.bubble').click();
    await page.locator('[data-kakehashi] >> css=.card').first().waitFor();
    await page.context().close();
  });
});
