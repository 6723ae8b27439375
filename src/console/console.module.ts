import { Module } from '@nestjs/common';
import { CompaniesModule } from '../companies/companies.module';
import { ConsoleAdminController } from './console-admin.controller';
import { ConsoleAuthService } from './console-auth.service';
import { ConsoleInsightsController } from './console-insights.controller';
import { ConsoleInsightsRepository } from './console-insights.repository';
import { ConsoleInsightsService } from './console-insights.service';
import { ConsolePagesController } from './console-pages.controller';
import { ConsolePagesService } from './console-pages.service';
import { ConsoleSessionController } from './console-session.controller';
import { StaffAdminService } from './staff-admin.service';
import { StaffSessionRepository } from './staff-session.repository';
import { StaffRepository } from './staff.repository';

/**
 * The staff console: sign-in with sessions and CSRF, staff and token administration, the read models behind
 * its dashboard and audit pages, and the static single-page app at /console. Profiles, glossary and matching
 * are the existing APIs, reached with the session cookie through the authenticator this module registers.
 */
@Module({
  imports: [CompaniesModule],
  controllers: [
    ConsoleSessionController,
    ConsoleAdminController,
    ConsoleInsightsController,
    ConsolePagesController,
  ],
  providers: [
    StaffRepository,
    StaffSessionRepository,
    ConsoleInsightsRepository,
    ConsoleAuthService,
    StaffAdminService,
    ConsoleInsightsService,
    ConsolePagesService,
  ],
  exports: [StaffRepository],
})
export class ConsoleModule {}
