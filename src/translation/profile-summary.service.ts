import { Injectable } from '@nestjs/common';
import { ProblemException } from '../common/problem';
import { CompanyRepository } from '../companies/company.repository';
import type { Lang } from '../config/app-config';
import { LlmService } from '../llm/llm.service';
import { checkModelText, verdictOnModelText } from '../llm/output-guard';
import { LANG_NAMES } from './translation-checks';
import { profileAsText } from './profile-text';

/** Two or three sentences; anything far longer is not the summary asked for. */
const MAX_SUMMARY_CHARS = 1200;

export interface ProfileSummary {
  externalId: string;
  lang: Lang;
  summary: string;
  model: string;
}

/**
 * Short introductions of a company for a reader in another language (chat answers, the staff console). The
 * prompt gets the public profile only, inside data delimiters; output passes the contact guard.
 */
@Injectable()
export class ProfileSummaryService {
  constructor(
    private readonly companies: CompanyRepository,
    private readonly llm: LlmService,
  ) {}

  async summarize(externalId: string, lang: Lang, signal?: AbortSignal): Promise<ProfileSummary> {
    const profile = await this.companies.findByExternalId(externalId);
    if (!profile || profile.status === 'archived') {
      throw new ProblemException(
        404,
        'not-found',
        'Not found',
        `No company with externalId "${externalId}".`,
      );
    }
    const check = { lang, maxChars: MAX_SUMMARY_CHARS, names: Object.values(profile.names) };
    const completion = await this.llm.complete(
      'summarize-profile',
      { target_language: LANG_NAMES[lang], profile: profileAsText(profile, lang) },
      { outputLang: lang, signal, judge: (t) => verdictOnModelText(t, check) },
    );
    // Staff read it and may pass it on: the same output check as a chat reply (prompt leaks, garbage, language).
    const summary = completion.text.trim();
    const problem = checkModelText(summary, check);
    if (problem)
      throw new ProblemException(
        502,
        'invalid-model-output',
        'The model’s answer was unusable',
        `The summary failed the output check (${problem}); try again or check the model.`,
      );
    return { externalId, lang, summary, model: completion.model };
  }
}
