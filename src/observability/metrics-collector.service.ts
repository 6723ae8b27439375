import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { LlmCallRepository } from '../llm/llm-call.repository';
import { LlmService } from '../llm/llm.service';
import { MatchService } from '../matching/match.service';
import { WebChatGateway } from '../web-chat/web-chat.gateway';
import { MetricsService } from './metrics.service';
import { QueueStatsRepository } from './queue-stats.repository';

const CIRCUIT_VALUE = { closed: 0, 'half-open': 1, open: 2 } as const;
const SCRAPE_DB_TIMEOUT_MS = 1000;

/**
 * Feeds MetricsService: counters from the hooks other modules offer (LLM call records, matches served), and at
 * scrape time the gauges read from the database (queues) and from live objects (circuit breakers, sockets).
 * Every source is optional: a module that is not there contributes nothing, and a database that does not
 * answer within a second makes `kakehashi_database_up` 0 instead of hanging the scrape.
 */
@Injectable()
export class MetricsCollectorService implements OnApplicationBootstrap {
  private readonly logger = new Logger('Metrics');
  private llm?: LlmService;
  private gateway?: WebChatGateway;

  constructor(
    private readonly metrics: MetricsService,
    private readonly queues: QueueStatsRepository,
    private readonly moduleRef: ModuleRef,
  ) {}

  onApplicationBootstrap(): void {
    this.llm = this.optional(LlmService);
    this.gateway = this.optional(WebChatGateway);
    this.optional(LlmCallRepository)?.observe((call) => {
      const model = call.model;
      this.metrics.llmCalls.inc({ model, task: call.task, outcome: call.outcome });
      if (call.outcome !== 'ok') this.metrics.llmErrors.inc({ model, outcome: call.outcome });
      this.metrics.llmDuration.observe({ model, task: call.task }, call.latencyMs / 1000);
      if (call.inputTokens) this.metrics.llmTokens.inc({ model, direction: 'input' }, call.inputTokens);
      if (call.outputTokens) this.metrics.llmTokens.inc({ model, direction: 'output' }, call.outputTokens);
    });
    this.optional(MatchService)?.onServed((response) => {
      this.metrics.matchRequests.inc({ system: response.query.system });
      this.metrics.matchesServed.inc(response.results.length);
    });
  }

  /** The Prometheus text exposition, with the scrape-time gauges refreshed. */
  async render(): Promise<string> {
    await this.refresh();
    return this.metrics.registry.metrics();
  }

  private async refresh(): Promise<void> {
    this.metrics.activeSockets.set(this.gateway?.connectedSockets() ?? 0);
    this.metrics.llmCircuit.reset();
    for (const endpoint of this.llm?.status() ?? [])
      this.metrics.llmCircuit.set(
        { origin: endpoint.origin, model: endpoint.model },
        CIRCUIT_VALUE[endpoint.circuit],
      );
    try {
      const stats = await withTimeout(this.queues.read(), SCRAPE_DB_TIMEOUT_MS);
      this.metrics.databaseUp.set(1);
      this.metrics.queueDepth.reset();
      for (const s of stats) {
        for (const [status, n] of Object.entries(s.depth))
          this.metrics.queueDepth.set({ queue: s.queue, status }, n);
        this.metrics.queueOldestAge.set({ queue: s.queue }, s.oldestOpenAgeSeconds);
        this.metrics.queueFailed.set({ queue: s.queue }, s.failed);
      }
    } catch (err) {
      this.metrics.databaseUp.set(0);
      this.logger.warn({ msg: 'metrics: queue statistics unavailable', error: (err as Error).message });
    }
  }

  private optional<T>(token: abstract new (...args: never[]) => T): T | undefined {
    try {
      return this.moduleRef.get(token, { strict: false });
    } catch {
      return undefined;
    }
  }
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}
