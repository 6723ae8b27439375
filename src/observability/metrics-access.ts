import { timingSafeEqual } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { ProblemException } from '../common/problem';

/** Who may scrape: anyone when METRICS_TOKEN is unset, otherwise only `Authorization: Bearer <METRICS_TOKEN>`. */
@Injectable()
export class MetricsAccess {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  check(authorization: string | undefined): void {
    const token = this.config.operations.metricsToken;
    if (!token) return;
    const given = Buffer.from(/^Bearer (.+)$/.exec(authorization ?? '')?.[1] ?? '');
    const expected = Buffer.from(token);
    if (given.length === expected.length && timingSafeEqual(given, expected)) return;
    throw new ProblemException(
      401,
      'unauthenticated',
      'Authentication required',
      'Send the metrics token as `Authorization: Bearer <token>`.',
    );
  }
}
