import type { Browser, Page } from 'playwright-core';
import type { RunningApp } from '../../src/bootstrap/start-app';
import { SearchIndexerService } from '../../src/matching/indexing/search-indexer.service';
import { artifactPath, buildWebApps, describeInBrowser, launchBrowser } from '../support/browser';
import { STAFF_PASSWORD, createStaff } from '../support/console-session';
import { type FakeOpenAiServer, startFakeOpenAiServer } from '../support/fake-openai-server';
import { eventually } from '../support/line-test-app';
import {
  openWebRoom,
  relayEnv,
  relayModel,
  roomTexts,
  staffApi,
  widgetAsk,
  widgetUser,
} from '../support/relay-kit';
import { startTestApp } from '../support/test-app';
import type { ChatClient } from '../support/web-chat-client';

/**
 * The staff console's Introductions and Deal rooms pages, and the widget's room view, in Chromium: a curator
 * reads a room in both languages and writes into it; a visitor who joined with an invitation code reads a
 * translated message in the widget and flips to the original.
 */
describeInBrowser('introductions and deal rooms in a real browser', () => {
  let app: RunningApp;
  let llm: FakeOpenAiServer;
  let browser: Browser;
  let jp: ChatClient;
  let th: ChatClient;
  let roomId: string;
  const errors: Error[] = [];
  afterEach(() => expect(errors.splice(0)).toEqual([]));

  beforeAll(async () => {
    buildWebApps();
    llm = await startFakeOpenAiServer();
    llm.onChat(relayModel);
    app = await startTestApp(relayEnv(llm.url), { seed: true });
    await app.app.get(SearchIndexerService).waitUntilIdle();
    await createStaff(app, 'curator@kakehashi.test', 'curator');
    jp = (await widgetUser(app.url, 'seed:jp-001', 'tanaka', 'ja')).client;
    th = (await widgetUser(app.url, 'seed:th-001', 'wichai', 'th')).client;
    await widgetAsk(jp, 'user_message', { text: 'こんにちは', clientMessageId: 'h1' });
    await widgetAsk(th, 'user_message', { text: 'สวัสดีค่ะ', clientMessageId: 'h2' });
    roomId = await openWebRoom(jp, th, 'seed:th-001');
    await jp.request('user_message', {
      text: '金型の件、第3便について確認させてください。',
      clientMessageId: 'm1',
    });
    await th.request('user_message', { text: 'เรื่องแม่พิมพ์ ข้อความที่ 4 ครับ', clientMessageId: 'm2' });
    await eventually(() => roomTexts(th).length === 1 && roomTexts(jp).length === 1, 'the messages');
    // A second request, still waiting for an answer.
    const draft = await widgetAsk(jp, 'postback', {
      data: 'action=intro&id=seed%3Ath-004',
      clientMessageId: 'i2',
    });
    await widgetAsk(jp, 'postback', { data: draft.quickReplies[0].postback, clientMessageId: 'i3' });
    browser = await launchBrowser();
  }, 120000);

  afterAll(async () => {
    jp?.close();
    th?.close();
    await browser?.close();
    await app?.close();
    await llm?.close();
  });

  async function console(path: string): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'en-GB' });
    const page = await context.newPage();
    page.on('pageerror', (err) => errors.push(err));
    await page.goto(`${app.url}${path}`);
    await page.waitForURL(/\/console\/sign-in/);
    await page.fill('input[name=email]', 'curator@kakehashi.test');
    await page.fill('input[name=password]', STAFF_PASSWORD);
    await page.click('button[type=submit]');
    await page.waitForURL(new RegExp(path.replace(/[?]/g, '\\?')));
    return page;
  }

  it('Introductions lists every request and its state', async () => {
    const page = await console('/console/introductions');
    const rows = page.locator('[data-testid=introductions-table] tbody tr');
    await rows.first().waitFor();
    await expect(rows.count()).resolves.toBe(2);
    const text = await page.locator('[data-testid=introductions-table]').innerText();
    expect(text).toContain('Siam Precision Stamping Co., Ltd.');
    expect(text).toContain('Accepted');
    expect(text).toContain('Waiting for an answer');
    expect(text).toContain('Tanaka Seiki Co., Ltd.');
    await rows.nth(0).click();
    await page.locator('.intro-detail').waitFor();
    await page.screenshot({ path: artifactPath('30-introductions.png'), fullPage: true });
    await page.context().close();
  });

  it('a room reads in both languages side by side; a curator joins and writes', async () => {
    const page = await console('/console/rooms');
    await page.locator('[data-testid=rooms-table] tbody tr').first().click();
    await page.waitForURL(new RegExp(`/console/rooms/${roomId}`));
    const thread = page.locator('[data-testid=room-thread]');
    await thread.locator('.conv-msg').nth(1).waitFor();
    const text = await thread.innerText();
    expect(text).toContain('金型の件、第3便について確認させてください。');
    expect(text).toContain('คำแปลภาษาไทย 3');
    expect(text).toContain('เรื่องแม่พิมพ์ ข้อความที่ 4 ครับ');
    await page.getByRole('button', { name: 'Join the room' }).click();
    await page.locator('textarea').fill('Please send the drawings for part 7 this week.');
    await page.getByRole('button', { name: 'Send' }).click();
    await eventually(
      () => roomTexts(th).some((m) => m.text === 'คำแปลภาษาไทย 7'),
      'the coordinator on the widget',
    );
    await thread.locator('.conv-msg.from-staff').waitFor();
    await page.waitForFunction(() =>
      document.querySelector('.conv-msg.from-staff')?.textContent?.includes('日本語の訳文 7'),
    );
    await page.screenshot({ path: artifactPath('31-room.png'), fullPage: true });
    const view = await staffApi(app.url, 'GET', `/api/rooms/${roomId}`);
    expect(view.body.room.mode).toBe('staff');
    await page.context().close();
  });

  it('a visitor who joins with a code reads the room in the widget, the original one tap away', async () => {
    const { body } = await staffApi(app.url, 'POST', `/api/rooms/${roomId}/invites`, { side: 'b' });
    const context = await browser.newContext({ viewport: { width: 1280, height: 860 }, locale: 'th-TH' });
    const page = await context.newPage();
    page.on('pageerror', (err) => errors.push(err));
    await page.goto(`${app.url}/`);
    await page.locator('[data-kakehashi] >> css=button.bubble').click();
    await page.locator('[data-kakehashi] >> css=.msg.bot').first().waitFor();
    // The demo page embeds the widget in Japanese; this visitor reads Thai.
    await page.locator('[data-kakehashi] >> css=.head select').selectOption('th');
    await page.locator('[data-kakehashi] >> text=จากนี้จะให้บริการเป็นภาษาไทย').waitFor();
    await page.locator('[data-kakehashi] >> css=textarea').fill(`เข้าร่วม ${body.code}`);
    await page.keyboard.press('Enter');
    await page.locator('[data-kakehashi] >> text=เข้าร่วมห้องเจรจาธุรกิจกับ').waitFor();
    await jp.request('user_message', {
      text: '金型の件、第5便について確認させてください。',
      clientMessageId: 'm5',
    });
    const message = page.locator('[data-kakehashi] >> css=.msg.room').last();
    await message.locator('text=คำแปลภาษาไทย 5').waitFor();
    expect(await message.locator('.from').innerText()).toBe('บริษัท ทานากะ เซกิ จำกัด');
    await page.screenshot({ path: artifactPath('32-widget-room-translated.png') });
    await message.locator('button.orig').click();
    await message.locator('text=金型の件、第5便について確認させてください。').waitFor();
    expect(await message.locator('button.orig').innerText()).toBe('ดูคำแปล');
    await expect(page.locator('[data-kakehashi] >> css=button.attach').isVisible()).resolves.toBe(true);
    await page.screenshot({ path: artifactPath('33-widget-room-original.png') });
    await context.close();
  });
});
