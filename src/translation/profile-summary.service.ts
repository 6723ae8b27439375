import { Injectable } from '@nestjs/common';
import { ProblemException } from '../common/problem';
import { CompanyRepository } from '../companies/company.repository';
import type { Lang } from '../config/app-config';
import { LlmService } from '../llm/llm.service';
import { LANG_NAMES } from './translation-checks';
import { profileAsText } from './profile-text';

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
    const completion = await this.llm.complete(
      'summarize-profile',
      { target_language: LANG_NAMES[lang], profile: profileAsText(profile, lang) },
      { outputLang: lang, signal },
    );
    return { externalId, lang, summary: completion.text.trim(), model: completion.model };
  }
}
