import { loadTalpco } from '../../src/llm/evaluation/evaluation-data';
import {
  type FakeOpenAiServer,
  type FakeReply,
  type RecordedRequest,
  allMessageText,
  startFakeOpenAiServer,
} from './fake-openai-server';

/**
 * Two stand-in models for `npm run eval:llm`, on real local OpenAI-compatible servers (fake-openai-server.ts):
 *
 * - `good` answers like a strong model: TALPCo's own reference for a translation into Japanese or Thai, an English
 *   sentence that names the TALPCo sentence (TALPCo has no English side) and keeps its numbers, a reading of a
 *   request that finds its country, province, OEM wish and subject, and a reply in the asked language that names
 *   the first result;
 * - `bad` answers like a weak one: it copies the text it was asked to translate, reads every request as a
 *   licensing search for "company", and recommends a company that is not among the results, in English.
 *
 * Both answer by the `X-Kakehashi-Task` header, as the product's calls carry it.
 */

type LangName = 'Japanese' | 'Thai' | 'English';

interface Corpus {
  byJa: Map<string, { id: string; ja: string; th: string }>;
  byTh: Map<string, { id: string; ja: string; th: string }>;
  byId: Map<string, { id: string; ja: string; th: string }>;
}

/** The product's own TALPCo reader (Japanese spaces removed), indexed three ways. */
function readCorpus(dir: string): Corpus {
  const corpus: Corpus = { byJa: new Map(), byTh: new Map(), byId: new Map() };
  for (const pair of loadTalpco(dir)) {
    corpus.byJa.set(pair.ja, pair);
    corpus.byTh.set(pair.th, pair);
    corpus.byId.set(pair.id, pair);
  }
  return corpus;
}

const data = (text: string, name: string) =>
  new RegExp(`<data name="${name}">\\n([\\s\\S]*?)\\n</data>`).exec(text)?.[1] ?? '';
/** The task of a call: its `X-Kakehashi-Task` header (streamed calls carry it too). */
function task(req: RecordedRequest): string {
  const header = req.headers['x-kakehashi-task'];
  return typeof header === 'string' ? header : '';
}
const numbers = (s: string) => s.normalize('NFKC').match(/\d+(?:[.,]\d+)*/g) ?? [];

/** Digits as letters, so the English stand-in names its sentence without adding numbers to check. */
const code = (id: string) => [...id].map((d) => 'abcdefghij'[Number(d)] ?? d).join('');
const uncode = (s: string) => [...s].map((c) => String('abcdefghij'.indexOf(c))).join('');

function translationRequest(
  req: RecordedRequest,
): { from: LangName; to: LangName; text: string } | undefined {
  const all = allMessageText(req);
  const m = /Translate this (Japanese|Thai|English) text into (Japanese|Thai|English)/.exec(all);
  if (!m) return undefined;
  return { from: m[1] as LangName, to: m[2] as LangName, text: data(all, 'text') };
}

function goodTranslation(corpus: Corpus, req: RecordedRequest): FakeReply {
  const r = translationRequest(req);
  if (!r) return { content: 'OK' };
  const pair =
    r.from === 'Japanese'
      ? corpus.byJa.get(r.text)
      : r.from === 'Thai'
        ? corpus.byTh.get(r.text)
        : corpus.byId.get(uncode(/sentence ([a-j]+) of the corpus/.exec(r.text)?.[1] ?? ''));
  if (!pair) return { content: r.text };
  if (r.to === 'Japanese') return { content: pair.ja };
  if (r.to === 'Thai') return { content: pair.th };
  const kept = numbers(r.text);
  return {
    content: `This is sentence ${code(pair.id)} of the corpus, said politely to a friend${kept.length ? ` (${kept.join(', ')})` : ''}.`,
  };
}

function goodReading(req: RecordedRequest): FakeReply {
  const message = data(allMessageText(req), 'message');
  const country = /ญี่ปุ่น/.test(message)
    ? 'JP'
    : /タイ|thai|ไทย/i.test(message)
      ? 'TH'
      : /日本|japan/i.test(message)
        ? 'JP'
        : null;
  const region = /チョンブリ県?|Chonburi|プーケット|Phuket/i.exec(message)?.[0] ?? null;
  return {
    content: JSON.stringify({
      intent: 'search',
      subject: message,
      partnershipType: /OEM/i.test(message) ? 'oem' : null,
      region,
      country,
      company: null,
      language: null,
      text: null,
    }),
  };
}

const OPENINGS: Record<LangName, (name: string) => string> = {
  Japanese: (name) => `ご希望に合う会社が見つかりました。特に${name}はご要望に近い事業を行っています。`,
  Thai: (name) => `เราพบบริษัทที่ตรงกับความต้องการของคุณ โดยเฉพาะ ${name} ซึ่งทำธุรกิจใกล้เคียงกับที่คุณมองหา`,
  English: (name) =>
    `We found companies that match your request. ${name} in particular does what you are looking for.`,
};

function goodReply(req: RecordedRequest): FakeReply {
  const all = allMessageText(req);
  const lang = (/Write in (Japanese|Thai|English) only/.exec(all)?.[1] ?? 'English') as LangName;
  const first = /^1\. (.+?) \(/m.exec(data(all, 'results'))?.[1] ?? '';
  return { content: OPENINGS[lang](first) };
}

export interface CandidateServers {
  good: FakeOpenAiServer;
  bad: FakeOpenAiServer;
  close(): Promise<void>;
}

export async function startCandidateServers(parallelDir: string): Promise<CandidateServers> {
  const corpus = readCorpus(parallelDir);
  const good = await startFakeOpenAiServer({ recordBodies: false });
  const bad = await startFakeOpenAiServer({ recordBodies: false });
  good.onChat((req) => {
    switch (task(req)) {
      case 'translate':
        return goodTranslation(corpus, req);
      case 'chat-understand':
        return goodReading(req);
      case 'chat-reply':
        return goodReply(req);
      default:
        return { content: 'OK' };
    }
  });
  bad.onChat((req) => {
    switch (task(req)) {
      case 'translate':
        return { content: translationRequest(req)?.text ?? 'OK' };
      case 'chat-understand':
        return {
          content: JSON.stringify({
            intent: 'search',
            subject: 'company',
            partnershipType: 'licensing',
            region: null,
            country: null,
          }),
        };
      case 'chat-reply':
        return { content: 'We recommend Acme Global Trading Co., Ltd. for all of your needs.' };
      default:
        return { content: 'OK' };
    }
  });
  return {
    good,
    bad,
    close: async () => {
      await Promise.all([good.close(), bad.close()]);
    },
  };
}
