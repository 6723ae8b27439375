import { EventEmitter } from 'node:events';
import type { NextFunction, Request, Response } from 'express';
import { httpMetricsMiddleware } from './http-metrics.middleware';
import { MetricsService } from './metrics.service';

describe('HTTP metrics middleware', () => {
  const run = (metrics: MetricsService, req: Partial<Request>, status: number, events: string[]) => {
    const res = Object.assign(new EventEmitter(), { statusCode: status }) as unknown as Response;
    const next = jest.fn() as NextFunction;
    httpMetricsMiddleware(metrics)(req as Request, res, next);
    expect(next).toHaveBeenCalledTimes(1);
    for (const e of events) (res as unknown as EventEmitter).emit(e);
  };

  it('labels by route pattern (never the raw path), counts once per request, tracks requests in flight', async () => {
    const metrics = new MetricsService();
    run(metrics, { method: 'GET', baseUrl: '', route: { path: '/api/companies/:externalId' } }, 404, [
      'finish',
      'close',
    ]);
    run(metrics, { method: 'POST', baseUrl: '' }, 400, ['close']);
    const text = await metrics.registry.metrics();
    expect(text).toContain(
      'kakehashi_http_request_duration_seconds_count{route="/api/companies/:externalId",method="GET",status="404"} 1',
    );
    expect(text).toContain(
      'kakehashi_http_request_duration_seconds_count{route="unmatched",method="POST",status="400"} 1',
    );
    expect(text).toContain('kakehashi_http_requests_in_flight 0');
  });
});
