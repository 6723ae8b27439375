import 'reflect-metadata';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadConfig } from '../src/config/app-config';
import { LineApiClient, type LineRichMenu } from '../src/line/line-api.client';
import { fail, parseArgs } from './cli-args';

/**
 * `npm run line:rich-menu [-- --default ja|th] [--image-ja menu-ja.png --image-th menu-th.png] [--dry-run --out dir]`
 *
 * Sets up the LINE rich menu through the Messaging API: one menu in Japanese and one in Thai, each with five
 * areas (find partners, my matches, language, talk to staff, help). The language area switches to the other
 * menu (a rich-menu switch through the aliases `kakehashi-ja` / `kakehashi-th`) and tells the bot the new
 * language. Images are rendered with the system's Chromium unless given. Re-running replaces the menus this
 * script made before (names starting `kakehashi-`), after the new ones are live, so users never lose the menu.
 * Uses LINE_CHANNEL_ACCESS_TOKEN, LINE_API_BASE_URL and LINE_DATA_API_BASE_URL.
 */

export type MenuLang = 'ja' | 'th';

const PREFIX = 'kakehashi-';
const WIDTH = 2500;
const HEIGHT = 1686;
const ROW = HEIGHT / 2;

interface Area {
  key: 'find' | 'matches' | 'language' | 'staff' | 'help';
  bounds: { x: number; y: number; width: number; height: number };
  label: Record<MenuLang, string>;
  color: string;
}

/** Two large areas on top (the main tasks), three below. */
const AREAS: Area[] = [
  {
    key: 'find',
    bounds: { x: 0, y: 0, width: 1250, height: ROW },
    label: { ja: 'パートナーを探す', th: 'ค้นหาพันธมิตร' },
    color: '#0b6e4f',
  },
  {
    key: 'matches',
    bounds: { x: 1250, y: 0, width: 1250, height: ROW },
    label: { ja: '候補企業を見る', th: 'บริษัทที่แนะนำ' },
    color: '#1f5f8b',
  },
  {
    key: 'language',
    bounds: { x: 0, y: ROW, width: 833, height: ROW },
    label: { ja: 'ภาษาไทย', th: '日本語' },
    color: '#6b4c9a',
  },
  {
    key: 'staff',
    bounds: { x: 833, y: ROW, width: 834, height: ROW },
    label: { ja: '担当者と話す', th: 'คุยกับเจ้าหน้าที่' },
    color: '#b5651d',
  },
  {
    key: 'help',
    bounds: { x: 1667, y: ROW, width: 833, height: ROW },
    label: { ja: 'ヘルプ', th: 'ช่วยเหลือ' },
    color: '#5a5a5a',
  },
];

const OTHER: Record<MenuLang, MenuLang> = { ja: 'th', th: 'ja' };

/**
 * The menu object for one language. Postback data is the conversation engine's vocabulary (see
 * intentOfPostback): new-search, details without an id (the engine lists the last results to choose from),
 * lang, human, help.
 */
export function richMenu(lang: MenuLang): LineRichMenu {
  const action = (area: Area) => {
    const label = area.label[lang];
    switch (area.key) {
      case 'find':
        return {
          type: 'postback' as const,
          label,
          data: 'action=new-search',
          displayText: label,
          inputOption: 'openKeyboard' as const,
        };
      case 'matches':
        return { type: 'postback' as const, label, data: 'action=details', displayText: label };
      case 'language':
        return {
          type: 'richmenuswitch' as const,
          label,
          richMenuAliasId: `${PREFIX}${OTHER[lang]}`,
          data: `action=lang&lang=${OTHER[lang]}`,
        };
      case 'staff':
        return { type: 'postback' as const, label, data: 'action=human', displayText: label };
      case 'help':
        return { type: 'postback' as const, label, data: 'action=help', displayText: label };
    }
  };
  return {
    size: { width: WIDTH, height: HEIGHT },
    selected: true,
    name: `${PREFIX}${lang}`,
    chatBarText: lang === 'ja' ? 'メニュー' : 'เมนู',
    areas: AREAS.map((area) => ({ bounds: area.bounds, action: action(area) })),
  };
}

/** The menu picture: one tile per area with its label, rendered by Chromium (fonts for Thai and Japanese). */
export async function renderMenuImage(lang: MenuLang, chromiumPath = '/usr/bin/chromium'): Promise<Buffer> {
  if (!fs.existsSync(chromiumPath))
    throw new Error(
      `${chromiumPath} is missing: install chromium, or pass --image-ja and --image-th (PNG or JPEG, 2500×1686).`,
    );
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({ executablePath: chromiumPath, args: ['--no-sandbox'] });
  try {
    const page = await browser.newPage({ viewport: { width: WIDTH, height: HEIGHT } });
    const tiles = AREAS.map(
      (a) =>
        `<div style="position:absolute;left:${a.bounds.x}px;top:${a.bounds.y}px;width:${a.bounds.width - 12}px;` +
        `height:${a.bounds.height - 12}px;margin:6px;background:${a.color};border-radius:36px;display:flex;` +
        `align-items:center;justify-content:center;color:#fff;font-size:${a.bounds.width > 1000 ? 130 : 96}px;padding:0 40px;box-sizing:border-box;` +
        `font-weight:700;text-align:center">${a.label[lang]}</div>`,
    ).join('');
    await page.setContent(
      `<html><body style="margin:0;width:${WIDTH}px;height:${HEIGHT}px;background:#f4f1ea;position:relative;` +
        `font-family:'Noto Sans CJK JP','Garuda','Loma',sans-serif">${tiles}</body></html>`,
    );
    // JPEG keeps the picture well under LINE's 1 MB limit.
    return await page.screenshot({ type: 'jpeg', quality: 85 });
  } finally {
    await browser.close();
  }
}

export interface RichMenuSetup {
  menus: Record<MenuLang, string>;
  deleted: string[];
}

/**
 * Creates both menus with their images, points the aliases at them, makes `defaultLang` the default for
 * every user, then deletes the menus an earlier run made.
 */
export async function setUpRichMenus(
  api: LineApiClient,
  images: Record<MenuLang, { bytes: Buffer; type: 'image/png' | 'image/jpeg' }>,
  defaultLang: MenuLang,
): Promise<RichMenuSetup> {
  const before = await api.listRichMenus(PREFIX);
  const menus = {} as Record<MenuLang, string>;
  for (const lang of ['ja', 'th'] as const) {
    menus[lang] = await api.createRichMenu(richMenu(lang));
    await api.setRichMenuImage(menus[lang], images[lang].bytes, images[lang].type);
  }
  for (const lang of ['ja', 'th'] as const) await api.setRichMenuAlias(`${PREFIX}${lang}`, menus[lang]);
  await api.setDefaultRichMenu(menus[defaultLang]);
  const deleted: string[] = [];
  for (const old of before) {
    await api.deleteRichMenu(old.richMenuId);
    deleted.push(old.richMenuId);
  }
  return { menus, deleted };
}

function imageFile(file: string): { bytes: Buffer; type: 'image/png' | 'image/jpeg' } {
  const bytes = fs.readFileSync(file);
  if (bytes.length > 1024 * 1024) fail(`${file} is larger than LINE's 1 MB limit for rich menu images.`);
  const png = bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  const jpeg = bytes[0] === 0xff && bytes[1] === 0xd8;
  if (!png && !jpeg) fail(`${file} is neither PNG nor JPEG.`);
  return { bytes, type: png ? 'image/png' : 'image/jpeg' };
}

async function main(): Promise<void> {
  const args = parseArgs();
  const defaultLang = (args.default ?? 'ja') as MenuLang;
  if (defaultLang !== 'ja' && defaultLang !== 'th') fail('--default must be ja or th');
  const images = {} as Record<MenuLang, { bytes: Buffer; type: 'image/png' | 'image/jpeg' }>;
  for (const lang of ['ja', 'th'] as const) {
    const given = args[`image-${lang}`];
    images[lang] =
      typeof given === 'string'
        ? imageFile(given)
        : { bytes: await renderMenuImage(lang), type: 'image/jpeg' };
  }
  if (args['dry-run']) {
    const out = typeof args.out === 'string' ? args.out : '.';
    fs.mkdirSync(out, { recursive: true });
    for (const lang of ['ja', 'th'] as const) {
      fs.writeFileSync(path.join(out, `rich-menu-${lang}.json`), JSON.stringify(richMenu(lang), null, 2));
      fs.writeFileSync(
        path.join(out, `rich-menu-${lang}.${images[lang].type === 'image/png' ? 'png' : 'jpg'}`),
        images[lang].bytes,
      );
    }
    process.stdout.write(`dry run: menus and images written to ${path.resolve(out)}; nothing sent to LINE\n`);
    return;
  }
  const config = loadConfig();
  if (!config.line.channelAccessToken)
    fail('Set LINE_CHANNEL_ACCESS_TOKEN (LINE Developers console → Messaging API).');
  const result = await setUpRichMenus(new LineApiClient(config), images, defaultLang);
  process.stdout.write(
    `rich menus: ja ${result.menus.ja}, th ${result.menus.th} (aliases ${PREFIX}ja / ${PREFIX}th); ` +
      `default ${defaultLang}; replaced ${result.deleted.length} older menu(s)\n`,
  );
}

if (require.main === module) {
  main().catch((err) => {
    process.stderr.write(`${(err as Error).message}\n`);
    process.exit(1);
  });
}
