import { timingSafeEqual } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { ProblemException } from '../common/problem';

/** Who may scrape: anyone when METRICS_TOKEN is unset, otherwise only `Authorization: Bearer <METRICS_TOKEN>`. */
@Injectable()
export class MetricsAccess {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  check(authorization: string | undefined): void {
    if (!this.config.operations.metricsToken || this.holdsToken(authorization)) return;
    throw new ProblemException(
      401,
      'unauthenticated',
      'Authentication required',
      'Send the metrics token as `Authorization: Bearer <token>`.',
    );
  }

  /** Whether the caller sends METRICS_TOKEN (false when none is set). Compared in constant time, as bytes. */
  holdsToken(authorization: string | undefined): boolean {
    const token = this.config.operations.metricsToken;
    if (!token) return false;
    const given = Buffer.from(/^Bearer (.+)$/.exec(authorization ?? '')?.[1] ?? '');
    const expected = Buffer.from(token);
    return given.length === expected.length && timingSafeEqual(given, expected);
  }
}
