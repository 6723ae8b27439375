import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { RunningApp } from '../../src/bootstrap/start-app';
import { artifactPath, buildWebApps, describeInBrowser, launchBrowser } from '../support/browser';
import { STAFF_PASSWORD, createStaff } from '../support/console-session';
import { eventually } from '../support/line-test-app';
import { staffApi, widgetAsk } from '../support/relay-kit';
import { startTestApp } from '../support/test-app';
import { type ChatClient, connectChat, createSession } from '../support/web-chat-client';

/**
 * The console's Registrations page in Chromium. Three firms register themselves through the web chat interview
 * as a firm would (a Thai firm in Thai, a Japanese one in Japanese whose name and website match a seeded
 * profile, and a dubious one in English). A curator approves the first (it leaves the waiting list and is
 * published), asks the second a question (its widget receives it) and rejects the third with a reason; a viewer
 * reads without buttons. Every view is checked at desktop and phone sizes in Japanese, Thai and English: on
 * screen, readable, translated, nothing running past the window, no browser errors. Screenshots land in
 * test/artifacts/reg-*.png.
 */
const SIZES = {
  desktop: { width: 1280, height: 800 },
  phone: { width: 390, height: 844 },
} as const;
type Size = keyof typeof SIZES;
type UiLang = 'ja' | 'th' | 'en';

const THAI_NAME = 'บริษัท ชลบุรี พลาสติก เทค จำกัด';
const JAPANESE_NAME = '尾張ギア工業';
const ENGLISH_NAME = 'Bangkok Quick Trading Co., Ltd.';
const LONG_URL =
  'https://bangkok-quick-trading.example/invest/now/limited-offer-only-for-today-please-hurry-up';
const QUESTION = '主な納入先の業種を教えてください。';
const REASON = 'ไม่สามารถยืนยันได้ว่ามีบริษัทนี้อยู่จริง';

interface Firm {
  client: ChatClient;
  id: string;
  ids: number;
}

describeInBrowser('registrations review in the staff console', () => {
  let app: RunningApp;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  /** Page errors and console errors of the current test; each test ends by asserting there were none. */
  const problems: string[] = [];
  const firms = {} as Record<'th' | 'ja' | 'en', Firm>;
  let approvedExternalId = '';

  afterEach(async () => {
    for (const c of contexts.splice(0)) await c.close().catch(() => undefined);
    expect(problems.splice(0)).toEqual([]);
  });

  /** A firm answering the interview in the widget: each step says a text or taps a quick reply by its label. */
  async function register(
    lang: UiLang,
    steps: Array<{ say: string } | { tap: RegExp }>,
  ): Promise<{ firm: Omit<Firm, 'id'>; last: any }> {
    const { token } = await createSession(app.url, { lang });
    const firm = { client: await connectChat(app.url, { token }), ids: 0 };
    let last: any;
    for (const step of steps) {
      if ('say' in step) {
        last = await widgetAsk(firm.client, 'user_message', {
          text: step.say,
          clientMessageId: `${lang}-${++firm.ids}`,
        });
      } else {
        const button = (last?.quickReplies ?? []).find((q: { label: string }) => step.tap.test(q.label));
        if (!button) throw new Error(`no quick reply ${step.tap} in ${JSON.stringify(last?.quickReplies)}`);
        last = await widgetAsk(firm.client, 'postback', {
          data: button.postback,
          clientMessageId: `${lang}-${++firm.ids}`,
        });
      }
    }
    return { firm, last };
  }

  const said = (firm: Firm, pattern: RegExp) =>
    firm.client.events.some((e) => e.event === 'bot_message' && pattern.test(JSON.stringify(e.payload)));

  beforeAll(async () => {
    buildWebApps();
    app = await startTestApp(
      {
        // Every test firm writes from loopback (the per-network daily limit is for the open internet), and
        // answers faster than a person types.
        REGISTRATION_RATE_PER_NETWORK_PER_DAY: '50',
        WEB_CHAT_RATE_BURST: '100',
        WEB_CHAT_RATE_PER_MINUTE: '6000',
      },
      { seed: true },
    );
    await createStaff(app, 'curator@kakehashi.test', 'curator');
    await createStaff(app, 'viewer@kakehashi.test', 'viewer');

    const thai = await register('th', [
      { say: 'อยากลงทะเบียนบริษัท' },
      { tap: /^ไทย$/ },
      { say: THAI_NAME },
      { say: 'รับจ้างผลิตชิ้นส่วนพลาสติกฉีดขึ้นรูปสำหรับรถยนต์และเครื่องใช้ไฟฟ้า, ออกแบบและซ่อมแม่พิมพ์' },
      { say: 'ลูกค้าผู้ผลิตรถยนต์ญี่ปุ่น, ผู้จัดหาเม็ดพลาสติก' },
      { tap: /OEM|รับจ้างผลิต/ },
      { tap: /^เสร็จ$/ },
      { say: 'ชลบุรี' },
      { say: 'ประมาณ 120 คน' },
      { tap: /^ข้าม$/ },
      { say: 'คุณสมศรี somsri@chonburi-plastic.example 081-234-5678' },
      { tap: /^ส่ง$/ },
    ]);
    expect(thai.last.texts.join('\n')).toContain('เจ้าหน้าที่จะตรวจสอบ');

    const japanese = await register('ja', [
      { say: 'うちの会社を登録したい' },
      { tap: /^日本$/ },
      { say: JAPANESE_NAME },
      { say: '自動車用の精密歯車・減速機の製造' },
      { say: 'タイの販売代理店、現地の熱処理パートナー' },
      { say: '販売代理店と技術提携' },
      { say: '愛知県' },
      { tap: /〜300人/ },
      { say: 'https://owari-gear.example' },
      { say: '営業部 鈴木 suzuki@owari-gear.example' },
      { tap: /^送信$/ },
    ]);
    expect(japanese.last.texts.join('\n')).toContain('担当者が内容を確認');

    const english = await register('en', [
      { say: 'I want to register my company' },
      { tap: /^Thailand$/ },
      { say: ENGLISH_NAME },
      {
        say: `We trade anything: electronics, cosmetics, used machinery, and guaranteed 500% returns for investors who wire a deposit today via ${LONG_URL}`,
      },
      { say: 'skip' },
      { say: 'investment' },
      { say: 'Bangkok' },
      { say: 'about 5 people' },
      { say: 'bangkok-quick-trading.example' },
      { say: 'Mr. Somchai +66 2 123 4567' },
      { tap: /^Submit$/ },
    ]);
    expect(english.last.texts.join('\n')).toContain('Our staff will review');

    const queue = await staffApi(app.url, 'GET', '/api/registrations?status=submitted');
    const idOf = (name: string) =>
      queue.body.items.find((i: { name: string }) => i.name === name).id as string;
    firms.th = { ...thai.firm, id: idOf(THAI_NAME) };
    firms.ja = { ...japanese.firm, id: idOf(JAPANESE_NAME) };
    firms.en = { ...english.firm, id: idOf(ENGLISH_NAME) };
    browser = await launchBrowser();
  }, 120000);

  afterAll(async () => {
    for (const f of Object.values(firms)) f.client.close();
    await browser?.close();
    await app?.close();
  });

  /** A fresh browser profile with the UI in `lang`, signed in as `who`, on `path`. */
  async function open(who: 'curator' | 'viewer', lang: UiLang, size: Size, path: string): Promise<Page> {
    const context = await browser.newContext({
      viewport: SIZES[size],
      locale: { ja: 'ja-JP', th: 'th-TH', en: 'en-GB' }[lang],
    });
    contexts.push(context);
    await context.addInitScript((l) => localStorage.setItem('kakehashi.console.lang', l), lang);
    const page = await context.newPage();
    page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(`console error on ${page.url()}: ${m.text()}`);
    });
    await page.goto(`${app.url}${path}`);
    await page.waitForURL(/\/console\/sign-in/);
    await page.fill('input[name=email]', `${who}@kakehashi.test`);
    await page.fill('input[name=password]', STAFF_PASSWORD);
    await page.click('button[type=submit]');
    await page.waitForURL((url) => url.pathname === '/console/registrations');
    // The server's sign-in redirect keeps the page but not its query (?id=…): open the exact address again.
    if (new URL(page.url()).search !== new URL(path, app.url).search) await page.goto(`${app.url}${path}`);
    await page.locator('[data-testid=registrations-table] tbody tr').first().waitFor();
    return page;
  }

  /** Full page, from the top (a full-page capture of a scrolled page draws the sticky bars mid-page). */
  const shot = async (page: Page, name: string) => {
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: artifactPath(`reg-${name}.png`), fullPage: true });
  };

  /**
   * What a person would find broken at this size: the page scrolling sideways, something running past the
   * window's right edge (outside a box that scrolls on its own), text under 11 px, or one of `visible` not on
   * screen horizontally.
   */
  async function layoutProblems(page: Page, visible: string[]): Promise<string[]> {
    const found = await page.evaluate((selectors) => {
      const width = document.documentElement.clientWidth;
      const out: string[] = [];
      if (document.documentElement.scrollWidth > width) {
        out.push(`page is ${document.documentElement.scrollWidth}px wide in a ${width}px window`);
      }
      const inScroller = (el: HTMLElement) => {
        for (let p = el.parentElement; p; p = p.parentElement) {
          const s = getComputedStyle(p);
          if ((s.overflowX === 'auto' || s.overflowX === 'scroll') && p.clientWidth < p.scrollWidth)
            return true;
        }
        return false;
      };
      for (const el of Array.from(document.querySelectorAll<HTMLElement>('.main *'))) {
        const r = el.getBoundingClientRect();
        if (r.width === 0 || r.height === 0) continue;
        if (r.right > width + 1 && !inScroller(el)) {
          out.push(`${el.tagName.toLowerCase()}.${el.className} ends at ${Math.round(r.right)}px`);
        }
        const hasText = Array.from(el.childNodes).some((n) => n.nodeType === 3 && n.textContent!.trim());
        if (hasText && parseFloat(getComputedStyle(el).fontSize) < 11) {
          out.push(`${el.tagName.toLowerCase()}.${el.className} text is ${getComputedStyle(el).fontSize}`);
        }
      }
      for (const selector of selectors) {
        const el = document.querySelector<HTMLElement>(selector);
        const r = el?.getBoundingClientRect();
        if (!el || !r || r.width === 0 || r.height === 0) out.push(`${selector} is not shown`);
        else if (r.left < 0 || r.right > width + 1)
          out.push(`${selector} is off screen (${r.left}–${r.right})`);
      }
      return out;
    }, visible);
    return [...new Set(found)].slice(0, 10);
  }

  /** The console's own words on the page (labels, headings, buttons), which must be in the UI language. */
  async function labels(page: Page): Promise<string[]> {
    return page.evaluate(() =>
      Array.from(
        document.querySelectorAll<HTMLElement>(
          '.sidebar a.active, h1, .reg-tabs [role=tab], .reg-list th, .reg-view section h2, .reg-fields dt, ' +
            '.reg-view button, .reg-view label, .reg-transcript .conv-meta strong, .reg-transcript .badge',
        ),
      )
        .map((el) => el.innerText.replace(/\d+/g, '').trim())
        .filter(Boolean),
    );
  }
  const SCRIPT: Record<UiLang, RegExp> = {
    ja: /[\u3040-\u30ff\u4e00-\u9fff]/,
    th: /[\u0e00-\u0e7f]/,
    en: /^[\x20-\x7e’]+$/,
  };

  const waitingRows = (page: Page) => page.locator('[data-testid=registrations-table] tbody tr[data-id]');
  const row = (page: Page, id: string) =>
    page.locator(`[data-testid=registrations-table] tbody tr[data-id="${id}"]`);

  it('approves the Thai firm: it leaves the waiting list, shows approved, and the profile is published', async () => {
    const page = await open('curator', 'en', 'desktop', '/console/registrations');
    await expect(waitingRows(page).count()).resolves.toBe(3);
    expect(await page.locator('[data-testid=reg-waiting]').innerText()).toBe('3 waiting for review');
    expect(await page.locator('nav a[href="/console/registrations"]').innerText()).toBe('Registrations');
    const thaiRow = row(page, firms.th.id);
    const rowText = await thaiRow.innerText();
    expect(rowText).toContain(THAI_NAME);
    expect(rowText).toContain('Waiting for review');
    expect(await thaiRow.locator('.muted.small').innerText()).toBe('Thailand · Web chat · Thai');
    expect(rowText).toMatch(/20\d\d/); // the submitted time, with its date

    await thaiRow.click();
    await page.waitForURL(new RegExp(`id=${firms.th.id}`));
    const detail = page.locator(`[data-testid=registration-detail][data-id="${firms.th.id}"]`);
    await detail.waitFor();
    expect(await detail.locator('h2').first().innerText()).toBe(THAI_NAME);
    const profile = detail.locator('[data-testid=profile]');
    const profileText = await profile.innerText();
    expect(profileText).toContain('Profile as it will be published');
    for (const shown of ['ชลบุรี', 'OEM', '120', 'ลูกค้าผู้ผลิตรถยนต์ญี่ปุ่น', 'Not given'])
      expect(profileText).toContain(shown);
    // The offer was written as a list: each item on its own line.
    await expect(profile.locator('dd ul').first().locator('li').count()).resolves.toBe(2);
    const contact = profile.locator('[data-testid=contact]');
    expect(await contact.innerText()).toContain('somsri@chonburi-plastic.example');
    expect(await contact.innerText()).toContain('0812345678');
    expect(await contact.locator('.card-label').innerText()).toBe('Contact private');
    expect(await contact.locator('.badge').innerText()).toBe('private');
    expect(await detail.locator('[data-testid=duplicates]').innerText()).toContain('No existing profile');
    const transcript = detail.locator('[data-testid=transcript]');
    const firmSaid = await transcript.locator('[data-by=firm] .conv-text').allInnerTexts();
    expect(firmSaid).toEqual(
      expect.arrayContaining([THAI_NAME, 'ชลบุรี', 'คุณสมศรี somsri@chonburi-plastic.example 081-234-5678']),
    );
    expect(await transcript.locator('[data-by=bot]').first().innerText()).toContain('ญี่ปุ่นหรือไทย');
    expect(await transcript.locator('[data-by=firm]').first().locator('strong').innerText()).toBe('Firm');
    expect(await layoutProblems(page, ['[data-testid=approve]', '[data-testid=profile]'])).toEqual([]);
    await shot(page, '01-en-desktop-thai-firm');

    let asked = '';
    page.once('dialog', (dialog) => {
      asked = dialog.message();
      void dialog.accept();
    });
    await detail.locator('[data-testid=approve]').click();
    await detail.locator('[data-testid=reg-status]', { hasText: 'Approved' }).waitFor();
    expect(asked).toContain('Publish this profile now?');
    expect(await detail.locator('[data-testid=reg-notice]').innerText()).toMatch(
      /^Approved and published as reg-[0-9a-f]{12}\. The firm has been told\.$/,
    );
    // Gone from the waiting list, which now counts two.
    await thaiRow.waitFor({ state: 'detached' });
    await expect(waitingRows(page).count()).resolves.toBe(2);
    expect(await page.locator('[data-testid=reg-waiting]').innerText()).toBe('2 waiting for review');
    // No decision buttons once decided; who decided and where it is published instead.
    await expect(detail.locator('[data-testid=approve]').count()).resolves.toBe(0);
    const decision = await detail.locator('[data-testid=reg-decision]').innerText();
    expect(decision).toContain('curator');
    // The profile it published is not offered as a duplicate of itself.
    expect(await detail.locator('[data-testid=duplicates]').innerText()).toContain('No existing profile');
    expect(await detail.locator('[data-testid=profile] h2').innerText()).toBe('Profile as approved');
    approvedExternalId = await detail.locator('[data-testid=reg-decision] .mono').innerText();
    expect(approvedExternalId).toMatch(/^reg-[0-9a-f]{12}$/);
    await shot(page, '02-en-desktop-approved');

    const company = await staffApi(
      app.url,
      'GET',
      `/api/companies/${encodeURIComponent(approvedExternalId)}`,
    );
    expect(company.status).toBe(200);
    expect(company.body).toMatchObject({ status: 'published', country: 'TH', names: { th: THAI_NAME } });
    await eventually(() => said(firms.th, /ได้รับอนุมัติและเผยแพร่แล้ว/), 'the approval in the firm’s widget');

    // The Approved tab lists it, as approved.
    await page.locator('[data-testid=reg-tabs] [data-view=approved]').click();
    await row(page, firms.th.id).waitFor();
    expect(await row(page, firms.th.id).innerText()).toContain('Approved');
    // And its profile opens in the editor.
    await detail.locator('[data-testid=published-profile]').click();
    await page.waitForURL(new RegExp(`/console/profiles/${approvedExternalId}$`));
    await page.waitForSelector('[data-field="names.th"]');
    expect(await page.inputValue('[data-field="names.th"]')).toBe(THAI_NAME);
  });

  it('asks the Japanese firm a question in Japanese: status “waiting for the firm”, the widget receives it', async () => {
    const page = await open('curator', 'ja', 'desktop', `/console/registrations?id=${firms.ja.id}`);
    const detail = page.locator(`[data-testid=registration-detail][data-id="${firms.ja.id}"]`);
    await detail.waitFor();
    await page.locator('nav a[href="/console/registrations"]', { hasText: '登録申請' }).waitFor();
    expect(await row(page, firms.ja.id).getAttribute('class')).toContain('selected');

    // The seeded 尾張ギア工業株式会社 has the same name and website: flagged, with a link to its profile.
    const duplicates = detail.locator('[data-testid=duplicates]');
    expect(await duplicates.locator('h2').innerText()).toBe('重複の可能性（1 件）');
    const dup = duplicates.locator('li[data-id="seed:jp-003"]');
    expect(await dup.locator('a').innerText()).toBe('尾張ギア工業株式会社');
    expect(await dup.locator('a').getAttribute('href')).toBe('/console/profiles/seed%3Ajp-003');
    expect(await dup.locator('.badge-warn').allInnerTexts()).toEqual(['社名', 'ウェブサイト']);
    const profileText = await detail.locator('[data-testid=profile]').innerText();
    for (const shown of [
      '公開されるプロフィール',
      '販売代理店',
      '技術移転',
      '愛知県',
      '300',
      'https://owari-gear.example/',
    ])
      expect(profileText).toContain(shown);

    // An empty question is refused, said in Japanese beside the box.
    await detail.locator('[data-testid=ask-text]').fill('   ');
    await detail.locator('[data-testid=ask-send]').click();
    const refusal = detail.locator('.reg-action .alert-bad li');
    await refusal.waitFor();
    expect(await refusal.innerText()).toBe('質問を入力してください。');
    expect(await detail.locator('[data-testid=ask-text]').getAttribute('class')).toContain('is-invalid');
    // Chromium logs the refused request (400) as a console error: expected here, and only that one.
    expect(problems.splice(0)).toEqual([expect.stringMatching(/status of 400/)]);
    await shot(page, '03-ja-desktop-empty-question');

    await detail.locator('[data-testid=ask-text]').fill(QUESTION);
    await detail.locator('[data-testid=ask-send]').click();
    await detail.locator('[data-testid=reg-status]', { hasText: '企業の回答待ち' }).waitFor();
    expect(await detail.locator('[data-testid=reg-notice]').innerText()).toBe('企業に質問を送信しました。');
    expect(await detail.locator('[data-testid=reg-question]').innerText()).toContain(QUESTION);
    await expect(detail.locator('.reg-action .alert-bad').count()).resolves.toBe(0);
    expect(await detail.locator('[data-testid=ask-text]').inputValue()).toBe('');
    const last = detail.locator('[data-testid=transcript] .conv-msg').last();
    expect(await last.getAttribute('data-by')).toBe('staff');
    expect(await last.innerText()).toContain(QUESTION);
    expect(await last.locator('strong').innerText()).toBe('担当者');
    // Still in the waiting list (waiting for the firm now), with its new state.
    await row(page, firms.ja.id).locator('.badge', { hasText: '企業の回答待ち' }).waitFor();
    await eventually(
      () => said(firms.ja, /担当者から登録内容について質問/) && said(firms.ja, new RegExp(QUESTION)),
      'the question in the firm’s widget',
    );
    expect(await layoutProblems(page, ['[data-testid=ask-send]', '[data-testid=reg-question]'])).toEqual([]);
    await shot(page, '04-ja-desktop-question-sent');

    // The duplicate's link opens the existing profile.
    await dup.locator('a').click();
    await page.waitForURL(/\/console\/profiles\/seed%3Ajp-003$|\/console\/profiles\/seed:jp-003$/);
    await page.waitForSelector('[data-field="names.ja"]');
    expect(await page.inputValue('[data-field="names.ja"]')).toBe('尾張ギア工業株式会社');
  });

  it('rejects the English-speaking firm with a reason, on a phone in Thai', async () => {
    const page = await open('curator', 'th', 'phone', '/console/registrations');
    await row(page, firms.en.id).click();
    const detail = page.locator(`[data-testid=registration-detail][data-id="${firms.en.id}"]`);
    await detail.waitFor();
    // On a phone the registration sits under the list: tapping a row brings it on screen.
    await page.waitForFunction(() => {
      const r = document.querySelector('[data-testid=registration-detail] h2')?.getBoundingClientRect();
      return !!r && r.top >= 0 && r.bottom <= window.innerHeight;
    });
    // The long unbroken address wraps inside the phone's width.
    const offer = detail.locator('[data-testid=profile] li', {
      hasText: 'bangkok-quick-trading.example/invest',
    });
    const box = (await offer.boundingBox())!;
    expect(box.x + box.width).toBeLessThanOrEqual(390);
    expect(await layoutProblems(page, ['[data-testid=reject-send]', '[data-testid=transcript]'])).toEqual([]);
    await shot(page, '05-th-phone-english-firm');

    await detail.locator('[data-testid=reject-text]').fill(REASON);
    let asked = '';
    page.once('dialog', (dialog) => {
      asked = dialog.message();
      void dialog.accept();
    });
    await detail.locator('[data-testid=reject-send]').click();
    await detail.locator('[data-testid=reg-status]', { hasText: 'ปฏิเสธแล้ว' }).waitFor();
    expect(asked).toBe('ปฏิเสธคำขอนี้หรือไม่ บริษัทจะได้รับแจ้งเหตุผล');
    expect(await detail.locator('[data-testid=reg-notice]').innerText()).toBe(
      'ปฏิเสธแล้ว และแจ้งเหตุผลให้บริษัทแล้ว',
    );
    expect(await detail.locator('[data-testid=reg-decision]').innerText()).toContain(REASON);
    await row(page, firms.en.id).waitFor({ state: 'detached' });
    await expect(waitingRows(page).count()).resolves.toBe(1);
    await eventually(
      () => said(firms.en, new RegExp(`could not publish this registration\\. Reason: ${REASON}`)),
      'the rejection in the firm’s widget',
    );
    expect(await layoutProblems(page, ['[data-testid=reg-decision]'])).toEqual([]);
    await shot(page, '06-th-phone-rejected');
    await page.locator('[data-testid=reg-tabs] [data-view=rejected]').click();
    await row(page, firms.en.id).locator('.badge', { hasText: 'ปฏิเสธแล้ว' }).waitFor();
    // Deciding again (from another tab, say) is refused by the API.
    const again = await staffApi(app.url, 'POST', `/api/registrations/${firms.en.id}/approve`);
    expect(again.status).toBe(409);
  });

  it('a viewer reads a registration but has no decision buttons', async () => {
    const page = await open('viewer', 'en', 'desktop', `/console/registrations?id=${firms.ja.id}`);
    const detail = page.locator('[data-testid=registration-detail]');
    await detail.locator('[data-testid=profile]').waitFor();
    expect(await detail.locator('[data-testid=reg-readonly]').innerText()).toContain(
      'Viewers can read registrations',
    );
    for (const control of ['approve', 'ask-text', 'ask-send', 'reject-text', 'reject-send'])
      await expect(page.locator(`[data-testid=${control}]`).count()).resolves.toBe(0);
    // As on a profile, the private contact is for curators and admins.
    expect(await detail.locator('[data-testid=contact]').innerText()).toContain(
      'Shown to curators and admins only.',
    );
    expect(await detail.innerText()).not.toContain('suzuki@owari-gear.example');
    await shot(page, '07-en-desktop-viewer');
  });

  for (const lang of ['ja', 'th', 'en'] as const) {
    for (const size of ['desktop', 'phone'] as const) {
      it(`fits and reads in ${lang} at ${size} size: the queue, a waiting and a decided registration`, async () => {
        const views: Array<[string, string, string[]]> = [
          [
            'list',
            '/console/registrations',
            ['h1', '[data-testid=reg-tabs]', '[data-testid=registrations-table]'],
          ],
          [
            'waiting',
            `/console/registrations?id=${firms.ja.id}`,
            [
              '[data-testid=duplicates]',
              '[data-testid=profile]',
              '[data-testid=ask-send]',
              '[data-testid=transcript]',
            ],
          ],
          [
            'approved',
            `/console/registrations?view=all&id=${firms.th.id}`,
            ['[data-testid=reg-decision]', '[data-testid=contact]', '[data-testid=transcript]'],
          ],
        ];
        const page = await open('curator', lang, size, views[0][1]);
        const found: Record<string, string[]> = {};
        for (const [name, path, visible] of views) {
          await page.goto(`${app.url}${path}`);
          await page.locator('[data-testid=registrations-table] tbody tr').first().waitFor();
          if (name !== 'list') await page.locator('[data-testid=transcript] .conv-msg').first().waitFor();
          await page.waitForLoadState('networkidle');
          const seen = await layoutProblems(page, visible);
          const untranslated = (await labels(page)).filter((text) => !SCRIPT[lang].test(text));
          if (seen.length || untranslated.length)
            found[name] = [...seen, ...untranslated.map((u) => `"${u}"`)];
          await shot(page, `${lang}-${size}-${name}`);
        }
        expect(found).toEqual({});
      });
    }
  }
});
