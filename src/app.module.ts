import { type DynamicModule, Module } from '@nestjs/common';
import { AuditModule } from './audit/audit.module';
import { AuthModule } from './auth/auth.module';
import { CompaniesModule } from './companies/companies.module';
import type { AppConfig } from './config/app-config';
import { ConfigModule } from './config/config.module';
import { StaffConversationsModule } from './console/conversations/staff-conversations.module';
import { ConsoleModule } from './console/console.module';
import { ConversationModule } from './conversation/conversation.module';
import { DatabaseModule } from './database/database.module';
import type { Database } from './database/open-database';
import { GlossaryModule } from './glossary/glossary.module';
import { HealthModule } from './health/health.module';
import { AlertsModule } from './alerts/alerts.module';
import { IntroductionsModule } from './introductions/introductions.module';
import { RegistrationModule } from './registration/registration.module';
import { LineModule } from './line/line.module';
import { LlmModule } from './llm/llm.module';
import { MatchingModule } from './matching/matching.module';
import { ObservabilityModule } from './observability/observability.module';
import { PrivacyModule } from './privacy/privacy.module';
import { RelayModule } from './relay/relay.module';
import { SeedingModule } from './seeding/seeding.module';
import { TranslationModule } from './translation/translation.module';
import { WebChatModule } from './web-chat/web-chat.module';

/** Feature modules of the product. Infrastructure (config, database) is passed in already built. */
const FEATURES = [
  ObservabilityModule,
  AuditModule,
  AuthModule,
  HealthModule,
  CompaniesModule,
  MatchingModule,
  SeedingModule,
  ConsoleModule,
  LlmModule,
  GlossaryModule,
  TranslationModule,
  ConversationModule,
  WebChatModule,
  LineModule,
  StaffConversationsModule,
  RelayModule,
  IntroductionsModule,
  RegistrationModule,
  AlertsModule,
  PrivacyModule,
];

@Module({})
export class AppModule {
  static forRoot(config: AppConfig, database: Database): DynamicModule {
    return {
      module: AppModule,
      imports: [ConfigModule.forRoot(config), DatabaseModule.forRoot(database), ...FEATURES],
    };
  }
}
