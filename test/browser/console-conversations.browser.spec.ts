import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { RunningApp } from '../../src/bootstrap/start-app';
import { artifactPath, buildWebApps, describeInBrowser, launchBrowser } from '../support/browser';
import { STAFF_PASSWORD, createStaff } from '../support/console-session';
import { startTestApp } from '../support/test-app';
import { type ChatClient, connectChat, createSession } from '../support/web-chat-client';

/**
 * The Conversations page in Chromium: a Thai web-chat user asks for a human, the thread shows up highlighted in
 * the live list, a curator opens it, takes over, replies in English (no LLM configured: sent as written, and the
 * page says so), the user's widget receives it, and the curator hands back. A viewer reads but has no buttons.
 */
describeInBrowser('console conversations', () => {
  let app: RunningApp;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let visitor: ChatClient;

  const shot = (p: Page, name: string) => p.screenshot({ path: artifactPath(name), fullPage: true });
  const signIn = async (email: string) => {
    const ctx = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'en-US' });
    const p = await ctx.newPage();
    await p.goto(`${app.url}/console/sign-in`);
    await p.fill('input[name=email]', email);
    await p.fill('input[name=password]', STAFF_PASSWORD);
    await p.click('button[type=submit]');
    await p.waitForURL(/\/console\/profiles/);
    return { ctx, p };
  };

  beforeAll(async () => {
    buildWebApps();
    app = await startTestApp();
    await createStaff(app, 'curator@kakehashi.test', 'curator');
    await createStaff(app, 'viewer@kakehashi.test', 'viewer');
    const { token } = await createSession(app.url, { lang: 'th' });
    visitor = await connectChat(app.url, { token });
    await visitor.request('user_message', { text: 'สวัสดีครับ หาผู้ผลิตญี่ปุ่น', clientMessageId: 'b1' });
    await visitor.request('postback', { data: 'action=human', clientMessageId: 'b2' });
    browser = await launchBrowser();
    ({ ctx: context, p: page } = await signIn('curator@kakehashi.test'));
  }, 120000);

  afterAll(async () => {
    visitor?.close();
    await context?.close();
    await browser?.close();
    await app?.close();
  });

  it('takes over a waiting thread, replies, and hands back', async () => {
    await page.goto(`${app.url}/console/conversations`);
    await page.waitForSelector('[data-testid=conversations-table] tr.needs-staff');
    await page.waitForSelector('[data-testid=waiting]');
    await shot(page, '22-conversations-needs-staff.png');

    await page.click('[data-testid=conversations-table] tr.needs-staff a');
    await page.waitForSelector('[data-testid=thread] [data-from=user]');
    await page.waitForSelector('[data-testid=no-llm]');
    expect(await page.textContent('[data-testid=thread]')).toContain('สวัสดีครับ');

    await page.click('[data-testid=take-over]');
    await page.waitForSelector('[data-testid=composer]');
    await visitor.next('bot_message'); // the reply to the first message
    await visitor.next('bot_message'); // the hand-off answer
    const joined = await visitor.next('bot_message');
    expect(joined.text).toContain('เจ้าหน้าที่');

    // "Written in" follows what staff type: the user's Thai needs no translation, English does.
    await page.fill('#conv-reply', 'สวัสดีครับ');
    expect(await page.inputValue('[data-testid=reply-lang]')).toBe('th');
    await page.fill('#conv-reply', 'Hello, I am your coordinator. How can I help?');
    expect(await page.inputValue('[data-testid=reply-lang]')).toBe('en');
    await page.waitForSelector('[data-testid=no-llm-note]');
    await page.click('[data-testid=send]');
    await page.waitForSelector('[data-testid=sent-note]');
    const staffMessage = await visitor.next('bot_message');
    expect(staffMessage).toMatchObject({
      from: 'staff',
      text: 'Hello, I am your coordinator. How can I help?',
    });
    await page.waitForSelector('[data-testid=thread] [data-from=staff]');

    // The user answers while staff have the thread: it shows up live, and the bot stays quiet.
    await visitor.request('user_message', { text: 'ขอบคุณครับ', clientMessageId: 'b3' });
    await page.waitForSelector('[data-testid=thread] >> text=ขอบคุณครับ', { timeout: 10_000 });
    await shot(page, '23-conversation-taken-over.png');

    await page.click('[data-testid=hand-back]');
    await page.waitForSelector('[data-testid=take-over]');
    const back = await visitor.next('bot_message');
    expect(back.text).toContain('บอต');
  });

  it('a viewer reads the thread without take-over or reply controls', async () => {
    const viewer = await signIn('viewer@kakehashi.test');
    await viewer.p.goto(`${app.url}/console/conversations`);
    await viewer.p.waitForSelector('[data-testid=conversations-table] tbody tr');
    await viewer.p.click('[data-testid=conversations-table] tbody tr a');
    await viewer.p.waitForSelector('[data-testid=thread] [data-from=staff]');
    expect(await viewer.p.locator('[data-testid=take-over]').count()).toBe(0);
    expect(await viewer.p.locator('[data-testid=composer]').count()).toBe(0);
    await viewer.ctx.close();
  });
});
