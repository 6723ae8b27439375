import { Global, Module, type OnModuleInit } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { HealthService } from '../health/health.service';
import { rateBucketsFor } from '../observability/rate-buckets';
import { SharedRateLimitRepository } from '../observability/shared-rate-limit.repository';
import { LangChainChatTransport } from './adapters/langchain-chat.transport';
import { CHAT_TRANSPORT } from './chat-transport';
import { LlmCallRepository } from './llm-call.repository';
import { LlmUsageController } from './llm-usage.controller';
import { LlmService } from './llm.service';
import { PromptRegistry } from './prompt-registry';
import { RateLimitedChatTransport } from './resilience/rate-limited-transport';
import { RequestRateLimiter } from './resilience/request-rate-limiter';

/** Tasks the code calls: their prompt files must exist, or start-up stops. */
export const REQUIRED_PROMPTS = [
  'translate',
  'translate-list',
  'summarize-profile',
  'explain-match',
  'understand-request',
  'reply',
  'classify-business',
  'classify-request',
] as const;

/**
 * The LLM layer: prompts checked at boot, the LangChain transport (behind the request-rate limit), and LlmService (global, so any feature
 * can inject it). With no model configured everything still starts; calls raise LlmUnavailableError.
 */
@Global()
@Module({
  controllers: [LlmUsageController],
  providers: [
    {
      provide: PromptRegistry,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => PromptRegistry.load(config.llm.promptsDir, REQUIRED_PROMPTS),
    },
    {
      // Each exchange first waits for the model's requests-per-second bucket (RATE_LIMIT_STORE: in the database,
      // shared by every instance, or in this process).
      provide: CHAT_TRANSPORT,
      inject: [APP_CONFIG, SharedRateLimitRepository],
      useFactory: (config: AppConfig, repository: SharedRateLimitRepository) =>
        new RateLimitedChatTransport(
          new LangChainChatTransport(),
          new RequestRateLimiter(rateBucketsFor(config.operations.rateLimitStore, repository)),
          config.llm.timeoutMs,
        ),
    },
    LlmCallRepository,
    LlmService,
  ],
  exports: [LlmService, PromptRegistry, LlmCallRepository],
})
export class LlmModule implements OnModuleInit {
  constructor(
    private readonly llm: LlmService,
    private readonly health: HealthService,
  ) {}

  onModuleInit(): void {
    // Readiness reports the model as degraded (never down): the product works without it.
    this.health.register('llm', async () => {
      if (!this.llm.configured) {
        return {
          status: 'degraded',
          detail: 'no LLM configured (provider none): generation and translation unavailable',
        };
      }
      const open = this.llm.status().filter((s) => s.circuit !== 'closed');
      if (open.length > 0) {
        return {
          status: 'degraded',
          detail: `circuit ${open.map((s) => `${s.circuit} for ${s.model} at ${s.origin}`).join(', ')}`,
        };
      }
      return {
        status: 'ok',
        detail: this.llm
          .status()
          .map((s) => `${s.model} (${s.outputLangs.join('/')})`)
          .join(', '),
      };
    });
  }
}
