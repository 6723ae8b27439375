import { Controller, Get, Headers, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { MetricsCollectorService } from './metrics-collector.service';
import { MetricsService } from './metrics.service';
import { MetricsAccess } from './metrics-access';

/** `GET /metrics`: Prometheus text format. Bearer METRICS_TOKEN when configured. */
@ApiExcludeController()
@Controller('metrics')
export class MetricsController {
  constructor(
    private readonly collector: MetricsCollectorService,
    private readonly metrics: MetricsService,
    private readonly access: MetricsAccess,
  ) {}

  @Get()
  async scrape(
    @Headers('authorization') authorization: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<string> {
    this.access.check(authorization);
    res.type(this.metrics.contentType);
    return this.collector.render();
  }
}
