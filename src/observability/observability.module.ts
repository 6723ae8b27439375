import { Global, Module } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { Express } from 'express';
import { GracefulShutdownService } from './graceful-shutdown.service';
import { httpMetricsMiddleware } from './http-metrics.middleware';
import { MetricsAccess } from './metrics-access';
import { MetricsCollectorService } from './metrics-collector.service';
import { MetricsController } from './metrics.controller';
import { MetricsService } from './metrics.service';
import { QueueStatsRepository } from './queue-stats.repository';
import { SharedRateLimitRepository } from './shared-rate-limit.repository';
import { WebChatClusterService } from './web-chat-cluster.service';

/**
 * Operations: `GET /metrics` (Prometheus), the HTTP latency middleware and the graceful-shutdown sequence.
 * The middleware is installed here, while the app is being built, so it runs before every other middleware
 * (body parsers included) and times every request, rejected ones too.
 */
@Global()
@Module({
  controllers: [MetricsController],
  providers: [
    MetricsService,
    MetricsAccess,
    QueueStatsRepository,
    MetricsCollectorService,
    GracefulShutdownService,
    WebChatClusterService,
    SharedRateLimitRepository,
  ],
  exports: [
    MetricsService,
    MetricsAccess,
    GracefulShutdownService,
    WebChatClusterService,
    SharedRateLimitRepository,
  ],
})
export class ObservabilityModule {
  constructor(metrics: MetricsService, httpAdapterHost: HttpAdapterHost) {
    const express = httpAdapterHost.httpAdapter?.getInstance<Express>();
    express?.use(httpMetricsMiddleware(metrics));
  }
}
