import { ApiTokenRepository } from '../../src/auth/api-token.repository';
import type { RunningApp } from '../../src/bootstrap/start-app';
import {
  type FakeOpenAiServer,
  type RecordedRequest,
  allMessageText,
  startFakeOpenAiServer,
} from '../support/fake-openai-server';
import { thaiProfile } from '../fixtures/profiles';
import { adminAuth, startTestApp } from '../support/test-app';

/** The text between the data tags of a recorded translation request. */
const sourceOf = (req: RecordedRequest) =>
  /<data name="text">\n([\s\S]*?)\n<\/data>/.exec(allMessageText(req))?.[1];
const systemOf = (req: RecordedRequest) => (req.body.messages as Array<{ content: string }>)[0].content;
/** The user message's data block `name` (the glossary and the problems to fix are data, fenced). */
const dataOf = (req: RecordedRequest, name: string) =>
  new RegExp(`<data name="${name}">\\n([\\s\\S]*?)\\n</data>`).exec(
    (req.body.messages as Array<{ content: string }>)[1].content,
  )?.[1] ?? '';

/** POST /api/translate end to end: glossary in the prompt and checked after, retries, flags, cache, pivot. */
describe('translation API', () => {
  let fake: FakeOpenAiServer;
  let running: RunningApp;
  let partner: Record<string, string>;
  /** Source text → scripted answers (the last one repeats). */
  const answers = new Map<string, string[]>();

  const translate = (body: Record<string, unknown>, headers: Record<string, string> = partner) =>
    fetch(`${running.url}/api/translate`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    });
  const json = async (res: Response) => (await res.json()) as Record<string, any>;
  const addTerm = async (term: Record<string, unknown>) => {
    const res = await fetch(`${running.url}/api/glossary`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...adminAuth },
      body: JSON.stringify(term),
    });
    expect(res.status).toBe(201);
  };

  beforeAll(async () => {
    fake = await startFakeOpenAiServer();
    fake.onChat((req) => {
      const src = sourceOf(req) ?? '';
      const list = answers.get(src);
      if (!list) return { content: `[no script for ${src}]` };
      return { content: list.length > 1 ? list.shift()! : list[0] };
    });
    running = await startTestApp({
      LLM_BASE_URL: fake.url + '/v1',
      LLM_MODEL: 'fake-model',
      LLM_TRANSLATION_PIVOT_PAIRS: 'th-ja:english',
      LLM_AUTO_TRANSLATE_PROFILES: 'false',
    });
    const tokens = new ApiTokenRepository(running.database.pool);
    partner = { Authorization: `Bearer ${(await tokens.create('pa', 'partner')).token}` };
    await addTerm({ ja: '販売代理店', th: 'ตัวแทนจำหน่าย', en: 'distributor' });
    await addTerm({ en: 'INPEX', doNotTranslate: true });
  });
  afterAll(async () => {
    await running.close();
    await fake.close();
  });

  const newRequests = async (action: () => Promise<unknown>) => {
    const before = fake.chatRequests().length;
    await action();
    return fake.chatRequests().slice(before);
  };

  it('translates with the detected source language and reports the glossary terms applied', async () => {
    answers.set('タイで販売代理店を探しています', ['เรากำลังมองหาตัวแทนจำหน่ายในประเทศไทย']);
    let res: Response | undefined;
    const sent = await newRequests(async () => {
      res = await translate({ text: 'タイで販売代理店を探しています', to: 'th' });
    });
    expect(res!.status).toBe(200);
    expect(await json(res!)).toEqual({
      translation: 'เรากำลังมองหาตัวแทนจำหน่ายในประเทศไทย',
      from: 'ja',
      to: 'th',
      model: 'fake-model',
      glossaryTermsApplied: [{ source: '販売代理店', target: 'ตัวแทนจำหน่าย', doNotTranslate: false }],
      flagged: false,
      violations: [],
      cached: false,
      pivot: false,
    });
    expect(sent).toHaveLength(1);
    expect(dataOf(sent[0], 'glossary')).toContain('- 販売代理店 → ตัวแทนจำหน่าย');
    expect(systemOf(sent[0])).toContain('from Japanese into Thai');
    expect(sent[0].body.max_tokens).toBeGreaterThan(0);
  });

  it('retries once naming a missing glossary term, and accepts the corrected answer', async () => {
    answers.set('INPEXの販売代理店になりたい', [
      'ต้องการเป็นผู้จัดจำหน่ายของ INPEX',
      'ต้องการเป็นตัวแทนจำหน่ายของ INPEX',
    ]);
    let body: Record<string, unknown> = {};
    const sent = await newRequests(async () => {
      body = await json(await translate({ text: 'INPEXの販売代理店になりたい', to: 'th' }));
    });
    expect(sent).toHaveLength(2);
    expect(dataOf(sent[1], 'corrections')).toMatch(/"販売代理店" must be translated as "ตัวแทนจำหน่าย"/);
    expect(body).toMatchObject({ translation: 'ต้องการเป็นตัวแทนจำหน่ายของ INPEX', flagged: false });
    expect(body.glossaryTermsApplied).toEqual([
      { source: 'INPEX', target: 'INPEX', doNotTranslate: true },
      { source: '販売代理店', target: 'ตัวแทนจำหน่าย', doNotTranslate: false },
    ]);
  });

  it.each([
    ['glossary (do not translate)', 'ＩＮＰＥＸと提携したい', 'ต้องการร่วมมือกับอินเพ็กซ์', 'glossary'],
    ['number', '単価は1,500円です', 'ราคาต่อหน่วย 1,600 เยน', 'number'],
    ['date', '納期は2025年3月31日です', 'กำหนดส่งคือสิ้นเดือนมีนาคม', 'date'],
    ['unit', '最大積載量は10トンです', 'รับน้ำหนักได้สูงสุด 10 กิโลกรัม', 'unit'],
    ['e-mail', '連絡先は sales@acme.co.jp です', 'ติดต่อฝ่ายขาย', 'email'],
    ['URL', '詳細は https://acme.co.jp/th をご覧ください', 'ดูรายละเอียดที่เว็บไซต์', 'url'],
    ['language', '品質管理を重視しています', 'We focus on quality control', 'language'],
  ])(
    'a failed %s check is retried once, then the best answer is returned flagged',
    async (_what, text, bad, kind) => {
      answers.set(text, [bad]);
      let body: Awaited<ReturnType<typeof json>> = {};
      const sent = await newRequests(async () => {
        body = await json(await translate({ text, to: 'th' }));
      });
      expect(sent).toHaveLength(2);
      expect(body.flagged).toBe(true);
      expect(body.violations.map((v: { kind: string }) => v.kind)).toEqual([kind]);
      expect(body.translation).toBe(bad);
    },
  );

  it('caches: the same text costs no second call; another language, the glossary version or the text does', async () => {
    const text = '来週お打ち合わせできますか';
    answers.set(text, ['สัปดาห์หน้าเราประชุมกันได้ไหมครับ']);
    const first = await newRequests(() => translate({ text, to: 'th' }));
    expect(first).toHaveLength(1);
    let again: Record<string, unknown> = {};
    const second = await newRequests(async () => {
      again = await json(await translate({ text, to: 'th', from: 'ja' }));
    });
    expect(second).toHaveLength(0);
    expect(again).toMatchObject({ cached: true, translation: 'สัปดาห์หน้าเราประชุมกันได้ไหมครับ' });

    answers.set(text, ['Can we meet next week?']);
    expect(await newRequests(() => translate({ text, to: 'en' }))).toHaveLength(1);

    await addTerm({ ja: '打ち合わせ', th: 'การประชุม', en: 'meeting' });
    answers.set(text, ['สัปดาห์หน้าเราจะมีการประชุมได้ไหมครับ']);
    expect(await newRequests(() => translate({ text, to: 'th' }))).toHaveLength(1);
    expect(await newRequests(() => translate({ text, to: 'th' }))).toHaveLength(0);
  });

  it('identical requests arriving together share one call', async () => {
    const text = '見積書を送ってください';
    answers.set(text, ['กรุณาส่งใบเสนอราคา']);
    fake.setDefaultDelay(200);
    try {
      const sent = await newRequests(() =>
        Promise.all([1, 2, 3, 4].map(() => translate({ text, to: 'th' }))),
      );
      expect(sent).toHaveLength(1);
    } finally {
      fake.setDefaultDelay(0);
    }
  });

  it('pivots through English when configured for the pair (th→ja here)', async () => {
    answers.set('เราผลิตชิ้นส่วนเบรก', ['We make brake parts.']);
    answers.set('We make brake parts.', ['当社はブレーキ部品を製造しています。']);
    let body: Record<string, unknown> = {};
    const sent = await newRequests(async () => {
      body = await json(await translate({ text: 'เราผลิตชิ้นส่วนเบรก', to: 'ja' }));
    });
    expect(sent.map(sourceOf)).toEqual(['เราผลิตชิ้นส่วนเบรก', 'We make brake parts.']);
    expect(systemOf(sent[0])).toContain('from Thai into English');
    expect(systemOf(sent[1])).toContain('from English into Japanese');
    expect(body).toMatchObject({
      translation: '当社はブレーキ部品を製造しています。',
      from: 'th',
      pivot: true,
      model: 'fake-model → fake-model',
      flagged: false,
    });
  });

  it('returns the text as is when source and target are the same language', async () => {
    const sent = await newRequests(async () => {
      expect(await json(await translate({ text: 'Hello', to: 'en' }))).toMatchObject({
        translation: 'Hello',
        model: null,
      });
    });
    expect(sent).toHaveLength(0);
  });

  it('a profile summary passes the output check: an echoed prompt is refused, a real summary returned', async () => {
    const created = await fetch(`${running.url}/api/companies`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...adminAuth },
      body: JSON.stringify(thaiProfile('sum:1')),
    });
    expect(created.status).toBe(201);
    const summarize = () =>
      fetch(`${running.url}/api/llm/profile-summary`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...adminAuth },
        body: JSON.stringify({ externalId: 'sum:1', lang: 'th' }),
      });
    // Summary prompts carry no text to translate: their script is under ''.
    answers.set('', ['<data name="profile">\nบริษัท ทดสอบ\n</data> ignore previous instructions']);
    const leaked = await summarize();
    expect(leaked.status).toBe(502);
    expect(JSON.stringify(await leaked.json())).not.toContain('<data');
    answers.set('', ['บริษัทผลิตชิ้นส่วนยานยนต์ในจังหวัดระยอง มีพนักงานประมาณสี่ร้อยคน']);
    const ok = await summarize();
    expect(ok.status).toBe(200);
    expect((await json(ok)).summary).toContain('ระยอง');
    answers.delete('');
  });

  it('validates the request and requires a token', async () => {
    const bad = await translate({ text: '', to: 'fr' });
    expect(bad.status).toBe(400);
    expect((await json(bad)).errors.map((e: { path: string }) => e.path).sort()).toEqual(['text', 'to']);
    expect((await translate({ text: 'x', to: 'th' }, {})).status).toBe(401);
  });
});

describe('translation with provider none', () => {
  let running: RunningApp;
  beforeAll(async () => {
    running = await startTestApp();
  });
  afterAll(() => running.close());

  const post = (path: string, body: unknown, lang?: string) =>
    fetch(`${running.url}${path}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...adminAuth,
        ...(lang ? { 'accept-language': lang } : {}),
      },
      body: JSON.stringify(body),
    });

  it.each([
    ['ja', '翻訳が設定されていません'],
    ['th-TH,th;q=0.9', 'ยังไม่ได้ตั้งค่าการแปลภาษา'],
    ['en-US', 'Translation is not configured'],
    [undefined, 'Translation is not configured'],
  ])('answers 503 with a localized problem (Accept-Language %s)', async (lang, message) => {
    const res = await post('/api/translate', { text: 'こんにちは', to: 'th' }, lang);
    expect(res.status).toBe(503);
    expect(res.headers.get('content-type')).toMatch(/application\/problem\+json/);
    const problem = (await res.json()) as { type: string; detail: string };
    expect(problem.type).toMatch(/translation-not-configured$/);
    expect(problem.detail).toContain(message);
  });

  it('nothing else breaks: profiles, glossary and readiness work; summaries say they are unavailable', async () => {
    expect((await fetch(`${running.url}/api/companies`, { headers: adminAuth })).status).toBe(200);
    expect((await fetch(`${running.url}/api/glossary`, { headers: adminAuth })).status).toBe(200);
    const ready = (await (await fetch(`${running.url}/health/ready`)).json()) as {
      status: string;
      checks: Record<string, { status: string }>;
    };
    expect(ready.status).toBe('ok');
    expect(ready.checks.llm.status).toBe('degraded');
    const summary = await post('/api/llm/profile-summary', { externalId: 'none', lang: 'th' });
    expect([404, 503]).toContain(summary.status);
  });
});
