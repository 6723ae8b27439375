import { createHash } from 'node:crypto';
import { Inject, Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { APP_CONFIG, type AppConfig, type Lang } from '../config/app-config';
import { type AppliedTerm, findTerms, glossaryLines } from '../glossary/glossary-matcher';
import type { GlossaryTerm } from '../glossary/glossary.model';
import { GlossaryService } from '../glossary/glossary.service';
import { detectLanguage } from '../language';
import { LlmService } from '../llm/llm.service';
import { LlmUnavailableError } from '../llm/llm.types';
import {
  type Violation,
  LANG_NAMES,
  checkTranslation,
  correctionsFor,
  isUnusable,
  translationVerdict,
} from './translation-checks';
import { type CachedTranslation, TranslationCacheRepository } from './translation-cache.repository';

/** What is being translated: changes the instructions (names are transliterated, chat keeps its tone). */
export type TranslationContext = 'message' | 'profile' | 'name' | 'text';

/** An ad-hoc glossary entry sent with one request (in addition to the staff glossary). */
export interface ExtraTerm {
  ja?: string;
  th?: string;
  en?: string;
  doNotTranslate?: boolean;
}

export interface TranslateRequest {
  text: string;
  to: Lang;
  /** Detected when omitted. */
  from?: Lang;
  /** false: ignore the staff glossary; an array: extra terms for this request. Default true. */
  glossary?: boolean | ExtraTerm[];
  context?: TranslationContext;
  signal?: AbortSignal;
}

export interface TranslationResult {
  translation: string;
  from: Lang | 'und';
  to: Lang;
  /** The model that wrote the final text (pivot: "en-model → target-model"); null when nothing was translated. */
  model: string | null;
  glossaryTermsApplied: Array<{ source: string; target: string; doNotTranslate: boolean }>;
  /** True when the post-checks still failed after the retry: the best result is returned, flagged. */
  flagged: boolean;
  violations: Violation[];
  cached: boolean;
  pivot: boolean;
}

const CONTEXTS: Record<TranslationContext, string> = {
  message: 'a chat message between two companies negotiating business; keep its tone and politeness',
  profile: 'part of a company profile (business description) shown to companies in the other country',
  name: 'the name of a company, place or product: use its established form in the target language if there is one, otherwise transliterate it; translate legal forms (株式会社 = Co., Ltd. = บริษัท ... จำกัด)',
  text: 'a business text',
};

const MEMORY_ENTRIES = 2000;
const HIT_FLUSH_MS = 2000;

/**
 * Japanese ↔ Thai ↔ English translation with the staff glossary applied in the prompt and checked afterwards
 * (terms, numbers, dates, units, e-mails, URLs, output language). A failed check retries once naming the
 * problems, then returns the better result flagged. Results are cached by (source text, languages, glossary
 * version, model, prompt version), in memory and in the database, so a repeated relay message costs no second
 * call; concurrent identical requests share one call.
 *
 * Used by `POST /api/translate`, profile auto-translation and (later) the deal-room relay.
 */
@Injectable()
export class TranslationService implements OnModuleDestroy {
  private readonly logger = new Logger('Translation');
  private readonly memory = new Map<string, CachedTranslation>();
  private readonly inflight = new Map<string, Promise<TranslationResult>>();
  private readonly pendingHits = new Map<string, number>();
  private hitTimer: NodeJS.Timeout | undefined;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly llm: LlmService,
    private readonly glossary: GlossaryService,
    private readonly cache: TranslationCacheRepository,
  ) {}

  /** True when a model can write `to` (translation is configured for it). */
  isAvailable(to?: Lang): boolean {
    return this.llm.modelFor(to) !== undefined;
  }

  async translate(req: TranslateRequest): Promise<TranslationResult> {
    const text = req.text;
    const from = req.from ?? detectSource(text);
    if (from === 'und' || from === req.to || !text.trim()) {
      return noop(text, from, req.to);
    }
    const pivot = this.usesPivot(from, req.to);
    const models = pivot ? [this.llm.modelFor('en'), this.llm.modelFor(req.to)] : [this.llm.modelFor(req.to)];
    if (models.some((m) => m === undefined)) {
      throw new LlmUnavailableError('not-configured', 'Translation is not configured (no language model).');
    }
    const snapshot = req.glossary === false ? { version: 0, terms: [] } : await this.glossary.snapshot();
    const extra = Array.isArray(req.glossary) ? req.glossary : [];
    const terms = [...snapshot.terms, ...extra.map(toTerm)];
    const applied = findTerms(text, from, req.to, terms);
    const context = req.context ?? 'text';
    const key = cacheKey([
      'v1',
      text,
      from,
      req.to,
      context,
      snapshot.version,
      extra,
      models,
      this.llm.promptVersion('translate'),
      pivot,
    ]);

    const hit = await this.lookup(key);
    if (hit) return this.result(hit, from, req.to, true, pivot);

    const running = this.inflight.get(key);
    if (running) return running.then((r) => ({ ...r, cached: true }));
    const work = (async () => {
      const fresh = pivot
        ? await this.viaEnglish(text, from, req.to, terms, applied, context, req.signal)
        : await this.translateChecked(text, from, req.to, applied, context, req.signal);
      const value: CachedTranslation = {
        translation: fresh.text,
        model: pivot ? `${models[0]} → ${fresh.model}` : fresh.model,
        termsApplied: applied,
        violations: fresh.violations,
      };
      // Not a translation at all (another language, garbage): returned flagged, but not kept, so asking again
      // (the relay retrying a message) asks the model again.
      if (isUnusable(value.violations)) return this.result(value, from, req.to, false, pivot);
      this.remember(key, value);
      // Written after answering: this instance already has it in memory, others find it a moment later.
      this.cache
        .put({
          key,
          ...value,
          sourceLang: from,
          targetLang: req.to,
          promptVersion: this.llm.promptVersion('translate'),
          glossaryVersion: snapshot.version,
        })
        .catch((err: Error) => this.logger.warn({ msg: 'translation not cached', error: err.message }));
      return this.result(value, from, req.to, false, pivot);
    })();
    this.inflight.set(key, work);
    try {
      return await work;
    } finally {
      this.inflight.delete(key);
    }
  }

  /**
   * Translates a list of short items (offerings, seeking) in one call, one per line. If the model returns the
   * wrong number of lines twice, each item is translated on its own.
   */
  async translateList(
    items: string[],
    from: Lang,
    to: Lang,
    signal?: AbortSignal,
  ): Promise<{ items: string[]; model: string }> {
    if (items.length === 0) return { items: [], model: this.llm.modelFor(to) ?? '' };
    if (items.length === 1 || this.usesPivot(from, to)) {
      const out: string[] = [];
      let model = '';
      for (const item of items) {
        const r = await this.translate({ text: item, from, to, context: 'profile', signal });
        out.push(r.translation);
        model = r.model ?? model;
      }
      return { items: out, model };
    }
    const { terms } = await this.glossary.snapshot();
    const applied = findTerms(items.join('\n'), from, to, terms);
    const vars = {
      source_language: LANG_NAMES[from],
      target_language: LANG_NAMES[to],
      glossary: glossaryLines(applied),
      count: items.length,
      items: items.map((i) => i.replace(/\s*\n\s*/g, ' ')),
    };
    for (let attempt = 0; attempt < 2; attempt++) {
      const completion = await this.llm.complete('translate-list', vars, { outputLang: to, signal });
      const lines = completion.text
        .split('\n')
        .map((l) => l.replace(/^\s*(?:[-*•]|\d+[.)])\s+/, '').trim())
        .filter(Boolean);
      if (lines.length === items.length) return { items: lines, model: completion.model };
      this.logger.warn({
        msg: 'list translation returned the wrong number of lines',
        expected: items.length,
        got: lines.length,
      });
    }
    const out: string[] = [];
    let model = '';
    for (const item of items) {
      const r = await this.translate({ text: item, from, to, context: 'profile', signal });
      out.push(r.translation);
      model = r.model ?? model;
    }
    return { items: out, model };
  }

  async onModuleDestroy(): Promise<void> {
    await this.flushHits();
  }

  // ---- internals -------------------------------------------------------------------------------------------

  /** Enough room for the translation of this text (Thai and Japanese take more tokens per character), within LLM_MAX_TOKENS. */
  private maxTokensFor(text: string): number {
    return Math.min(this.config.llm.maxTokens, Math.max(256, text.length * 3 + 64));
  }

  private usesPivot(from: Lang, to: Lang): boolean {
    if (from === 'en' || to === 'en') return false;
    return (
      (this.config.llm.translationPivotPairs[`${from}-${to}`] ?? this.config.llm.translationPivot) ===
      'english'
    );
  }

  /** One direction with the post-check, and one retry naming the violations; the better answer wins. */
  private async translateChecked(
    text: string,
    from: Lang,
    to: Lang,
    applied: AppliedTerm[],
    context: TranslationContext,
    signal?: AbortSignal,
  ): Promise<{ text: string; model: string; violations: Violation[] }> {
    const ask = async (corrections: string) => {
      const completion = await this.llm.complete(
        'translate',
        {
          source_language: LANG_NAMES[from],
          target_language: LANG_NAMES[to],
          context: CONTEXTS[context],
          glossary: glossaryLines(applied),
          corrections,
          text,
        },
        {
          outputLang: to,
          signal,
          maxTokens: this.maxTokensFor(text),
          judge: (answer) =>
            translationVerdict(checkTranslation(text, cleanOutput(answer, text), to, applied)),
        },
      );
      const output = cleanOutput(completion.text, text);
      const violations = checkTranslation(text, output, to, applied);
      if (completion.finishReason === 'length') {
        violations.push({
          kind: 'truncated',
          expected: '',
          message: 'the translation was cut off: it is incomplete',
        });
      }
      return { text: output, model: completion.model, violations };
    };
    const first = await ask(correctionsFor([]));
    if (first.violations.length === 0) return first;
    this.logger.warn({
      msg: 'translation failed its checks: retrying once',
      from,
      to,
      violations: first.violations.map((v) => v.kind),
    });
    const second = await ask(correctionsFor(first.violations));
    // A usable translation beats an unusable one whatever the counts.
    const weight = (v: Violation[]) => v.length + (isUnusable(v) ? 1000 : 0);
    return weight(second.violations) <= weight(first.violations) ? second : first;
  }

  /** Source → English → target; the glossary's English forms carry the terms across. */
  private async viaEnglish(
    text: string,
    from: Lang,
    to: Lang,
    terms: GlossaryTerm[],
    applied: AppliedTerm[],
    context: TranslationContext,
    signal?: AbortSignal,
  ) {
    const toEnglish = await this.translateChecked(
      text,
      from,
      'en',
      findTerms(text, from, 'en', terms),
      context,
      signal,
    );
    const second = await this.translateChecked(
      toEnglish.text,
      'en',
      to,
      findTerms(toEnglish.text, 'en', to, terms),
      context,
      signal,
    );
    // The result is judged against the original text, not the English intermediate.
    return {
      text: second.text,
      model: second.model,
      violations: checkTranslation(text, second.text, to, applied),
    };
  }

  private async lookup(key: string): Promise<CachedTranslation | undefined> {
    let hit = this.memory.get(key);
    if (hit) {
      // Refresh its place in the LRU order.
      this.memory.delete(key);
      this.memory.set(key, hit);
    } else {
      hit = await this.cache.get(key);
      // Written before unusable results stopped being cached: ask the model again instead.
      if (hit && isUnusable(hit.violations)) return undefined;
      if (hit) this.remember(key, hit);
    }
    if (hit) this.countHit(key);
    return hit;
  }

  private remember(key: string, value: CachedTranslation): void {
    this.memory.set(key, value);
    if (this.memory.size > MEMORY_ENTRIES) this.memory.delete(this.memory.keys().next().value!);
  }

  private countHit(key: string): void {
    this.pendingHits.set(key, (this.pendingHits.get(key) ?? 0) + 1);
    if (!this.hitTimer) {
      this.hitTimer = setTimeout(() => void this.flushHits(), HIT_FLUSH_MS);
      this.hitTimer.unref();
    }
  }

  private async flushHits(): Promise<void> {
    if (this.hitTimer) clearTimeout(this.hitTimer);
    this.hitTimer = undefined;
    if (this.pendingHits.size === 0) return;
    const hits = new Map(this.pendingHits);
    this.pendingHits.clear();
    await this.cache
      .addHits(hits)
      .catch((err: Error) => this.logger.warn({ msg: 'cache hit counts not written', error: err.message }));
  }

  private result(
    value: CachedTranslation,
    from: Lang,
    to: Lang,
    cached: boolean,
    pivot: boolean,
  ): TranslationResult {
    return {
      translation: value.translation,
      from,
      to,
      model: value.model,
      glossaryTermsApplied: value.termsApplied.map((t) => ({
        source: t.source,
        target: t.target,
        doNotTranslate: t.doNotTranslate,
      })),
      flagged: value.violations.length > 0,
      violations: value.violations,
      cached,
      pivot,
    };
  }
}

function detectSource(text: string): Lang | 'und' {
  return detectLanguage(text).lang;
}

function noop(text: string, from: Lang | 'und', to: Lang): TranslationResult {
  return {
    translation: text,
    from,
    to,
    model: null,
    glossaryTermsApplied: [],
    flagged: false,
    violations: [],
    cached: false,
    pivot: false,
  };
}

function toTerm(t: ExtraTerm, i: number): GlossaryTerm {
  const now = new Date(0).toISOString();
  return {
    id: `request:${i}`,
    ja: t.ja,
    th: t.th,
    en: t.en,
    doNotTranslate: t.doNotTranslate ?? false,
    version: 0,
    createdAt: now,
    updatedAt: now,
  };
}

function cacheKey(parts: unknown[]): string {
  return createHash('sha256').update(JSON.stringify(parts)).digest('hex');
}

/** Strips what models add around a translation: a code fence, a "Translation:" label, wrapping quotes. */
export function cleanOutput(output: string, source: string): string {
  let t = output.trim();
  const fence = /^```[a-z]*\n([\s\S]*?)\n```$/.exec(t);
  if (fence) t = fence[1].trim();
  t = t.replace(/^(?:translation|翻訳|คำแปล)\s*[:：]\s*/i, '');
  const quotes: Array<[string, string]> = [
    ['"', '"'],
    ['“', '”'],
    ['「', '」'],
  ];
  for (const [open, close] of quotes) {
    if (t.startsWith(open) && t.endsWith(close) && t.length > 2 && !source.trim().startsWith(open)) {
      t = t.slice(open.length, -close.length).trim();
    }
  }
  return t;
}
