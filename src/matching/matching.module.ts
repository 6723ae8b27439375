import { Module } from '@nestjs/common';
import { CompaniesModule } from '../companies/companies.module';
import { embeddingModelProvider } from './embeddings/embeddings.provider';
import { IndexStatusController } from './index-status.controller';
import { SearchIndexRepository } from './indexing/search-index.repository';
import { SearchIndexerService } from './indexing/search-indexer.service';
import { LexiconRepository } from './lexicon/lexicon.repository';
import { LexiconService } from './lexicon/lexicon.service';
import { MatchController } from './match.controller';
import { MatchService } from './match.service';
import { HybridSearchRepository } from './retrieval/hybrid-search.repository';

@Module({
  imports: [CompaniesModule],
  controllers: [MatchController, IndexStatusController],
  providers: [
    embeddingModelProvider,
    LexiconRepository,
    LexiconService,
    SearchIndexRepository,
    SearchIndexerService,
    HybridSearchRepository,
    MatchService,
  ],
  exports: [MatchService, LexiconService, SearchIndexerService],
})
export class MatchingModule {}
