import * as fs from 'node:fs';
import { loadConfig } from '../../src/config/app-config';
import { intentOfPostback } from '../../src/conversation/understanding/rule-understanding';
import { LineApiClient } from '../../src/line/line-api.client';
import { richMenu, renderMenuImage, setUpRichMenus } from '../../scripts/line-rich-menu';
import { type FakeLineApi, startFakeLineApi } from '../support/fake-line-api';

/** `npm run line:rich-menu` against the fake LINE API: what it creates, and that the bot understands it. */
let fake: FakeLineApi;
let api: LineApiClient;
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0]);
const images = {
  ja: { bytes: PNG, type: 'image/png' as const },
  th: { bytes: PNG, type: 'image/png' as const },
};

beforeAll(async () => {
  fake = await startFakeLineApi();
  api = new LineApiClient(
    loadConfig({
      LINE_CHANNEL_ACCESS_TOKEN: 'rich-menu-token',
      LINE_API_BASE_URL: fake.url,
      LINE_DATA_API_BASE_URL: fake.url,
    }),
  );
});
afterAll(() => fake?.close());

const graphemes = (s: string) =>
  [...new Intl.Segmenter(undefined, { granularity: 'grapheme' }).segment(s)].length;

it('creates a Japanese and a Thai menu with five areas, images, switch aliases and the default', async () => {
  const first = await setUpRichMenus(api, images, 'ja');
  const created = fake.calls('richmenu').map((r) => r.body);
  expect(created.map((m) => m.name)).toEqual(['kakehashi-ja', 'kakehashi-th']);
  for (const menu of created) {
    expect(menu.size).toEqual({ width: 2500, height: 1686 });
    expect(menu.areas).toHaveLength(5);
    expect([...menu.chatBarText].length).toBeLessThanOrEqual(14);
    for (const area of menu.areas) {
      const { x, y, width, height } = area.bounds;
      expect(x + width).toBeLessThanOrEqual(2500);
      expect(y + height).toBeLessThanOrEqual(1686);
      expect(graphemes(area.action.label)).toBeLessThanOrEqual(20);
    }
  }
  expect(fake.calls('richmenu-content').map((r) => [r.path, r.headers['content-type']])).toEqual([
    [`/v2/bot/richmenu/${first.menus.ja}/content`, 'image/png'],
    [`/v2/bot/richmenu/${first.menus.th}/content`, 'image/png'],
  ]);
  expect(fake.calls('richmenu-alias').map((r) => r.body)).toEqual([
    { richMenuAliasId: 'kakehashi-ja', richMenuId: first.menus.ja },
    { richMenuAliasId: 'kakehashi-th', richMenuId: first.menus.th },
  ]);
  expect(fake.calls('richmenu-default').map((r) => r.path)).toEqual([
    `/v2/bot/user/all/richmenu/${first.menus.ja}`,
  ]);
  expect(first.deleted).toEqual([]);

  // A second run replaces the first run's menus, after the new ones are live, and moves the aliases.
  const second = await setUpRichMenus(api, images, 'th');
  expect(second.deleted.sort()).toEqual([first.menus.ja, first.menus.th].sort());
  expect(
    fake
      .calls('richmenu-alias')
      .slice(2)
      .map((r) => r.path),
  ).toEqual(
    expect.arrayContaining(['/v2/bot/richmenu/alias/kakehashi-ja', '/v2/bot/richmenu/alias/kakehashi-th']),
  );
  const lastDefault = fake.calls('richmenu-default').at(-1)!;
  expect(lastDefault.path).toBe(`/v2/bot/user/all/richmenu/${second.menus.th}`);
  expect(lastDefault.seq).toBeLessThan(fake.calls('richmenu-delete')[0].seq);
});

it("every area's postback is something the conversation engine understands; language switches menus", () => {
  for (const lang of ['ja', 'th'] as const) {
    const actions = richMenu(lang).areas!.map(
      (a) => a.action as { type: string; data: string; richMenuAliasId?: string },
    );
    for (const action of actions) expect(intentOfPostback(action.data).kind).not.toBe('unknown');
    const other = lang === 'ja' ? 'th' : 'ja';
    expect(actions.find((a) => a.type === 'richmenuswitch')).toMatchObject({
      richMenuAliasId: `kakehashi-${other}`,
      data: `action=lang&lang=${other}`,
    });
  }
});

(fs.existsSync('/usr/bin/chromium') ? it : it.skip)(
  'renders each menu picture as a JPEG under 1 MB',
  async () => {
    const image = await renderMenuImage('th');
    expect(image.subarray(0, 2)).toEqual(Buffer.from([0xff, 0xd8]));
    expect(image.length).toBeLessThan(1024 * 1024);
  },
  60_000,
);
