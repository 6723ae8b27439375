import { Module } from '@nestjs/common';
import { PrivacyController } from './privacy.controller';
import { PrivacyRepository } from './privacy.repository';
import { PrivacyService } from './privacy.service';
import { RetentionRepository } from './retention.repository';
import { RetentionService } from './retention.service';

/**
 * Privacy: erasure extended to every table (hooks in the chat engine's "forget me" and the companies' hard
 * delete), subject-access exports, and the retention job. The first-contact notice is `privacy-notice.ts`.
 */
@Module({
  controllers: [PrivacyController],
  providers: [PrivacyRepository, PrivacyService, RetentionRepository, RetentionService],
  exports: [RetentionService],
})
export class PrivacyModule {}
