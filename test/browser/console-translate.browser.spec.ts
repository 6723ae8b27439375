import type { Browser, Page } from 'playwright-core';
import type { RunningApp } from '../../src/bootstrap/start-app';
import { artifactPath, buildWebApps, describeInBrowser, launchBrowser } from '../support/browser';
import { STAFF_PASSWORD, createStaff } from '../support/console-session';
import { type FakeOpenAiServer, lastUserText, startFakeOpenAiServer } from '../support/fake-openai-server';
import { adminAuth, startTestApp } from '../support/test-app';

/** Answers every translation in the script of the language asked for, so the output checks pass. */
const REPLY: Array<[RegExp, string]> = [
  [/into Japanese/i, 'サイアム精密金型（機械翻訳）'],
  [/into Thai/i, 'ข้อความแปลโดยเครื่อง'],
  [/into English/i, 'Machine translated text'],
];

describeInBrowser('console "translate missing" with a language model configured', () => {
  let app: RunningApp;
  let fake: FakeOpenAiServer;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    buildWebApps();
    fake = await startFakeOpenAiServer();
    fake.onChat((req) => ({ content: REPLY.find(([re]) => re.test(lastUserText(req)))?.[1] ?? 'OK' }));
    // The background auto-translation is off here so that only the button fills fields.
    app = await startTestApp({
      LLM_BASE_URL: `${fake.url}/v1`,
      LLM_MODEL: 'fake-model',
      LLM_AUTO_TRANSLATE_PROFILES: 'false',
    });
    await createStaff(app, 'curator@kakehashi.test', 'curator');
    await fetch(`${app.url}/api/companies`, {
      method: 'POST',
      headers: { ...adminAuth, 'Content-Type': 'application/json' },
      body: JSON.stringify({
        externalId: 'TH-LLM-1',
        country: 'TH',
        names: { th: 'บริษัท สยามพรีซิชั่นโมลด์ จำกัด', en: 'Siam Precision Mould Co., Ltd.' },
        summary: { en: 'Precision injection moulds for car parts.' },
        contact: { email: 'canary-llm-9f3c@private.example', phone: '+66-CANARY-77' },
      }),
    });
    browser = await launchBrowser();
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    page = await context.newPage();
    await page.goto(`${app.url}/console/sign-in`);
    await page.fill('input[name=email]', 'curator@kakehashi.test');
    await page.fill('input[name=password]', STAFF_PASSWORD);
    await page.click('button[type=submit]');
    await page.waitForURL(/\/console\/profiles/);
  }, 120000);

  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await fake?.close();
  });

  it('fills the empty languages, marks them machine-translated, and clears the mark on approval', async () => {
    await page.goto(`${app.url}/console/profiles/TH-LLM-1`);
    await page.waitForSelector('[data-field="names.ja"]');
    const button = page.locator('[data-testid=translate-missing]');
    expect(await button.isEnabled()).toBe(true);
    expect(await page.locator('[data-testid=translate-unavailable]').count()).toBe(0);
    await button.click();
    await page.waitForSelector('[data-testid=notice].alert-warn');
    expect(await page.inputValue('[data-field="names.ja"]')).toBe('サイアム精密金型（機械翻訳）');
    expect(await page.inputValue('[data-field="summary.th"]')).toBe('ข้อความแปลโดยเครื่อง');
    expect(await page.getAttribute('[data-field="names.ja"]', 'class')).toContain('is-mt');
    // Nothing private goes to the model: only the texts being translated (the editor holds the contact).
    const sent = JSON.stringify(fake.requests.map((r) => r.body as unknown));
    expect(sent).not.toContain('canary-llm-9f3c');
    expect(sent).not.toContain('CANARY-77');
    await page.click('[data-testid=save]');
    await page.waitForSelector('[data-testid=notice].alert-ok');
    const saved = (await (
      await fetch(`${app.url}/api/companies/TH-LLM-1`, { headers: adminAuth })
    ).json()) as {
      names: Record<string, string>;
      machineTranslated: string[];
    };
    expect(saved.names.ja).toBe('サイアム精密金型（機械翻訳）');
    expect(saved.machineTranslated).toEqual(expect.arrayContaining(['names.ja', 'summary.ja', 'summary.th']));
    await page.screenshot({ path: artifactPath('21-machine-translated-pending-review.png'), fullPage: true });

    await page.click('[data-approve="names.ja"]');
    await page.waitForFunction(() => !document.querySelector('[data-approve="names.ja"]'));
    const after = (await (
      await fetch(`${app.url}/api/companies/TH-LLM-1`, { headers: adminAuth })
    ).json()) as {
      machineTranslated: string[];
    };
    expect(after.machineTranslated).not.toContain('names.ja');
    expect(after.machineTranslated).toContain('summary.ja');
    await page.goto(`${app.url}/console/profiles?pendingReview=true`);
    await page.waitForSelector('tr[data-id="TH-LLM-1"]');
  });
});
