import { Controller, Get } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Auth } from '../auth/auth.guard';
import { SearchIndexerService } from './indexing/search-indexer.service';

@ApiTags('matching')
@Controller('api/index')
export class IndexStatusController {
  constructor(private readonly indexer: SearchIndexerService) {}

  @Get('status')
  @Auth('viewer')
  @ApiOperation({
    summary: 'Search index progress: profiles indexed and pending, per embedding model and lexicon',
  })
  async status() {
    return this.indexer.status();
  }
}
