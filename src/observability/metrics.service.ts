import { Injectable } from '@nestjs/common';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/**
 * The Prometheus metrics of one app instance, in their own registry (not prom-client's global one), so
 * several instances in one process (tests) never mix their numbers. Names follow Prometheus conventions:
 * `_total` counters, `_seconds` durations, base units.
 */
@Injectable()
export class MetricsService {
  readonly registry = new Registry();

  readonly httpDuration = new Histogram({
    name: 'kakehashi_http_request_duration_seconds',
    help: 'HTTP request latency by route pattern, method and status code.',
    labelNames: ['route', 'method', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });
  readonly httpInFlight = new Gauge({
    name: 'kakehashi_http_requests_in_flight',
    help: 'HTTP requests being handled right now.',
    registers: [this.registry],
  });

  readonly queueDepth = new Gauge({
    name: 'kakehashi_queue_depth',
    help: 'Rows waiting or being worked on per work queue (line_inbox, line_outbox, profile_translation).',
    labelNames: ['queue', 'status'] as const,
    registers: [this.registry],
  });
  readonly queueOldestAge = new Gauge({
    name: 'kakehashi_queue_oldest_pending_age_seconds',
    help: 'Age of the oldest open (pending or in progress) row per work queue; 0 when the queue is empty.',
    labelNames: ['queue'] as const,
    registers: [this.registry],
  });
  readonly queueFailed = new Gauge({
    name: 'kakehashi_queue_failed',
    help: 'Rows that gave up after their last attempt (staff look at them).',
    labelNames: ['queue'] as const,
    registers: [this.registry],
  });
  readonly databaseUp = new Gauge({
    name: 'kakehashi_database_up',
    help: '1 when the database answered the last scrape within a second, else 0.',
    registers: [this.registry],
  });

  readonly llmCalls = new Counter({
    name: 'kakehashi_llm_calls_total',
    help: 'Language-model calls by model, task and outcome (ok, error, timeout, rate_limited, ...).',
    labelNames: ['model', 'task', 'outcome'] as const,
    registers: [this.registry],
  });
  readonly llmErrors = new Counter({
    name: 'kakehashi_llm_errors_total',
    help: 'Language-model calls that did not succeed, by model and outcome.',
    labelNames: ['model', 'outcome'] as const,
    registers: [this.registry],
  });
  readonly llmDuration = new Histogram({
    name: 'kakehashi_llm_call_duration_seconds',
    help: 'Language-model call latency (all attempts) by model and task.',
    labelNames: ['model', 'task'] as const,
    buckets: [0.1, 0.25, 0.5, 1, 2, 4, 8, 16, 32, 64],
    registers: [this.registry],
  });
  readonly llmTokens = new Counter({
    name: 'kakehashi_llm_tokens_total',
    help: 'Tokens reported by the model server, by model and direction (input, output).',
    labelNames: ['model', 'direction'] as const,
    registers: [this.registry],
  });
  readonly llmCircuit = new Gauge({
    name: 'kakehashi_llm_circuit_state',
    help: 'Circuit breaker per model endpoint: 0 closed, 1 half-open, 2 open (failing fast).',
    labelNames: ['origin', 'model'] as const,
    registers: [this.registry],
  });

  readonly matchRequests = new Counter({
    name: 'kakehashi_match_requests_total',
    help: 'Partner searches answered, by system (hybrid, dense, lexical, concept).',
    labelNames: ['system'] as const,
    registers: [this.registry],
  });
  readonly matchesServed = new Counter({
    name: 'kakehashi_matches_served_total',
    help: 'Matching companies returned to seekers (sum of result-page sizes).',
    registers: [this.registry],
  });

  readonly activeSockets = new Gauge({
    name: 'kakehashi_web_chat_sockets',
    help: 'Web chat sockets connected to this instance.',
    registers: [this.registry],
  });
  readonly retentionPurged = new Counter({
    name: 'kakehashi_retention_purged_rows_total',
    help: 'Rows deleted by the retention job, by table.',
    labelNames: ['table'] as const,
    registers: [this.registry],
  });
  readonly shuttingDown = new Gauge({
    name: 'kakehashi_shutting_down',
    help: '1 once SIGTERM was received and the instance is draining.',
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}
