import { Module } from '@nestjs/common';
import { CompaniesModule } from '../companies/companies.module';
import { GlossaryModule } from '../glossary/glossary.module';
import { ProfileSummaryController } from './profile-summary.controller';
import { ProfileSummaryService } from './profile-summary.service';
import { ProfileTranslationRepository } from './profile-translation.repository';
import { ProfileTranslationWorker } from './profile-translation.worker';
import { TranslationCacheRepository } from './translation-cache.repository';
import { TranslationController } from './translation.controller';
import { TranslationService } from './translation.service';

/** Translation (API, cache, glossary checks), profile summaries and the profile auto-translation worker. */
@Module({
  imports: [CompaniesModule, GlossaryModule],
  controllers: [TranslationController, ProfileSummaryController],
  providers: [
    TranslationCacheRepository,
    TranslationService,
    ProfileSummaryService,
    ProfileTranslationRepository,
    ProfileTranslationWorker,
  ],
  exports: [TranslationService, ProfileSummaryService, ProfileTranslationWorker],
})
export class TranslationModule {}
