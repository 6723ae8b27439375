import type { NextFunction, Request, Response } from 'express';
import type { MetricsService } from './metrics.service';

/**
 * Express middleware, installed before every other one, that times each request. The route label is the
 * matched route's pattern (`/api/companies/:id`), never the raw path, so ids do not explode the series count;
 * a request that matched no route (404, a parser error) is labelled `unmatched`.
 */
export function httpMetricsMiddleware(metrics: MetricsService) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const started = process.hrtime.bigint();
    metrics.httpInFlight.inc();
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      metrics.httpInFlight.dec();
      const route = (req.route as { path?: unknown } | undefined)?.path;
      metrics.httpDuration.observe(
        {
          route: typeof route === 'string' ? req.baseUrl + route : 'unmatched',
          method: req.method,
          status: String(res.statusCode),
        },
        Number(process.hrtime.bigint() - started) / 1e9,
      );
    };
    res.once('finish', finish);
    res.once('close', finish);
    next();
  };
}
