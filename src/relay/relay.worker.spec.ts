import { Logger } from '@nestjs/common';
import type { Lang } from '../companies/company-profile.schema';
import { loadConfig } from '../config/app-config';
import type { LineApiClient } from '../line/line-api.client';
import type { TranslationResult, TranslationService } from '../translation/translation.service';
import type { RelayDeliveryService } from './relay-delivery.service';
import type { RelayMessage, RelayMessageRepository, Translation } from './relay-message.repository';
import { RelayWorker } from './relay.worker';

/**
 * How the relay worker treats what the translation service returns: a good translation is delivered, one flagged
 * for a minor problem is delivered marked, and one that is not a translation at all (garbage, another language)
 * is held like an outage for a bounded number of attempts, then relayed as the original with a note.
 */
describe('RelayWorker: flagged translations', () => {
  let translate: jest.Mock<Promise<TranslationResult>, []>;
  let ready: Array<Partial<Record<Lang, Translation>>>;
  let retried: Array<{ delayMs: number; error: string }>;

  beforeAll(() => Logger.overrideLogger(false));

  const worker = (withoutLlm: 'wait' | 'original-with-note') => {
    const config = loadConfig({
      RELAY_WITHOUT_LLM: withoutLlm,
      RELAY_RETRY_BASE_MS: '100',
      RELAY_RETRY_MAX_DELAY_MS: '1000',
    });
    const strict = <T extends object>(impl: Partial<T>): T =>
      new Proxy(impl, {
        get: (target, key) => {
          if (key in target) return target[key as keyof typeof target];
          if (key === 'then') return undefined;
          throw new Error(`unexpected call: ${String(key)}`);
        },
      }) as T;
    const messages = strict<RelayMessageRepository>({
      markReady: jest.fn(
        (_id: string, _w: string, update: { translations: Partial<Record<Lang, Translation>> }) => {
          ready.push(update.translations);
          return Promise.resolve(true);
        },
      ),
      retryLater: jest.fn((_id: string, _w: string, delayMs: number, error: string) => {
        retried.push({ delayMs, error });
        return Promise.resolve();
      }),
    });
    const translation = strict<TranslationService>({ translate });
    const delivery = strict<RelayDeliveryService>({ deliver: jest.fn(() => Promise.resolve()) });
    return new RelayWorker(config, messages, translation, strict<LineApiClient>({}), delivery);
  };

  const message = (attempts: number): RelayMessage & { readerLangs: Lang[] } => ({
    id: '41',
    roomId: 'room-1',
    seq: 1,
    senderMemberId: 'm1',
    senderKind: 'member',
    kind: 'text',
    text: '第3便の件です。',
    lang: 'ja',
    translations: {},
    status: 'pending',
    attempts,
    createdAt: new Date(),
    readerLangs: ['th'],
  });

  const result = (translation: string, violations: TranslationResult['violations']): TranslationResult => ({
    translation,
    from: 'ja',
    to: 'th',
    model: 'fake-model',
    glossaryTermsApplied: [],
    flagged: violations.length > 0,
    violations,
    cached: false,
    pivot: false,
  });
  const GARBAGE = result('<|im_end|>}}{{ ]]', [
    { kind: 'garbage', expected: '', message: 'garbage' },
    { kind: 'language', expected: 'th', message: 'not Thai' },
  ]);

  const run = (w: RelayWorker, m: RelayMessage & { readerLangs: Lang[] }) =>
    (w as unknown as { process(m: unknown): Promise<void> }).process(m);

  beforeEach(() => {
    translate = jest.fn();
    ready = [];
    retried = [];
  });

  it('delivers a good translation as it is', async () => {
    translate.mockResolvedValue(result('เรื่องเที่ยวที่ 3 ค่ะ', []));
    await run(worker('wait'), message(1));
    expect(ready).toEqual([{ th: { text: 'เรื่องเที่ยวที่ 3 ค่ะ', model: 'fake-model' } }]);
  });

  it('delivers a translation flagged only for a minor problem, marked as such', async () => {
    translate.mockResolvedValue(result('เรื่องเที่ยวที่ 4', [{ kind: 'number', expected: '3', message: 'n' }]));
    await run(worker('wait'), message(1));
    expect(ready).toEqual([{ th: { text: 'เรื่องเที่ยวที่ 4', model: 'fake-model', flagged: true } }]);
  });

  it('holds a garbage translation with backoff (RELAY_WITHOUT_LLM=wait), then relays the original with a note', async () => {
    translate.mockResolvedValue(GARBAGE);
    const w = worker('wait');
    for (let attempt = 1; attempt <= 4; attempt++) await run(w, message(attempt));
    expect(ready).toEqual([]);
    expect(retried).toHaveLength(4);
    expect(retried[0].error).toMatch(/UnusableTranslation: .*garbage, language/);
    // Backoff grows with the attempts, like waiting for a model that is down.
    expect(retried[3].delayMs).toBeGreaterThan(retried[0].delayMs);
    await run(w, message(5));
    expect(ready).toEqual([{ th: { text: '第3便の件です。', unavailable: true } }]);
  });

  it('relays the original with a note at once when configured not to wait', async () => {
    translate.mockResolvedValue(GARBAGE);
    await run(worker('original-with-note'), message(1));
    expect(retried).toEqual([]);
    expect(ready).toEqual([{ th: { text: '第3便の件です。', unavailable: true } }]);
  });
});
