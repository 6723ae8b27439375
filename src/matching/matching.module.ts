import { Module } from '@nestjs/common';
import { CompaniesModule } from '../companies/companies.module';
import { embeddingModelProvider } from './embeddings/embeddings.provider';
import { EnrichmentController } from './enrichment/enrichment.controller';
import { EnrichmentRepository } from './enrichment/enrichment.repository';
import { EnrichmentService } from './enrichment/enrichment.service';
import { ProfileEnrichmentWorker } from './enrichment/profile-enrichment.worker';
import { RequestClassifierService } from './enrichment/request-classifier.service';
import { IndexStatusController } from './index-status.controller';
import { IndustryLabelsController } from './industry-labels.controller';
import { SearchIndexRepository } from './indexing/search-index.repository';
import { SearchIndexerService } from './indexing/search-indexer.service';
import { LexiconRepository } from './lexicon/lexicon.repository';
import { LexiconService } from './lexicon/lexicon.service';
import { MatchController } from './match.controller';
import { MatchService } from './match.service';
import { HybridSearchRepository } from './retrieval/hybrid-search.repository';

@Module({
  imports: [CompaniesModule],
  controllers: [MatchController, IndexStatusController, EnrichmentController, IndustryLabelsController],
  providers: [
    embeddingModelProvider,
    LexiconRepository,
    LexiconService,
    SearchIndexRepository,
    SearchIndexerService,
    HybridSearchRepository,
    MatchService,
    EnrichmentRepository,
    EnrichmentService,
    ProfileEnrichmentWorker,
    RequestClassifierService,
  ],
  exports: [MatchService, LexiconService, SearchIndexerService],
})
export class MatchingModule {}
