import { Controller, Get, Req, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { AuthService } from '../auth/auth.service';
import { MetricsAccess } from '../observability/metrics-access';
import { HealthService } from './health.service';

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthService,
    private readonly auth: AuthService,
    private readonly metrics: MetricsAccess,
  ) {}

  /** Liveness: the process answers. No dependency is checked, so a database outage never restarts the app. */
  @Get()
  live() {
    return { status: 'ok' };
  }

  /**
   * Readiness: the database answers and every migration is applied. Each check's status is public (load
   * balancers read it); what went wrong (error texts naming model endpoints, hosts) only for staff and for a
   * scraper holding METRICS_TOKEN.
   */
  @Get('ready')
  async ready(@Req() req: Request, @Res({ passthrough: true }) res: Response) {
    const report = await this.health.readiness();
    res.status(report.status === 'ok' ? 200 : 503);
    if (await this.mayReadDetails(req)) return report;
    const checks = Object.fromEntries(
      Object.entries(report.checks).map(([k, c]) => [k, { status: c.status }]),
    );
    return { ...report, checks };
  }

  private async mayReadDetails(req: Request): Promise<boolean> {
    if (this.metrics.holdsToken(req.headers.authorization)) return true;
    return (await this.auth.authenticate(req).catch(() => undefined)) !== undefined;
  }
}
