import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { type ProblemDetails, problemType } from './problem';

const TITLES: Record<number, string> = {
  400: 'Bad request',
  401: 'Authentication required',
  403: 'Forbidden',
  404: 'Not found',
  405: 'Method not allowed',
  409: 'Conflict',
  412: 'Precondition failed',
  413: 'Payload too large',
  415: 'Unsupported media type',
  422: 'Unprocessable content',
  428: 'Precondition required',
  429: 'Too many requests',
  503: 'Service unavailable',
};

/** Renders every error as RFC 9457 problem+json. Unexpected errors are logged without request bodies. */
@Catch()
export class ProblemFilter implements ExceptionFilter {
  private readonly logger = new Logger('HTTP');

  catch(exception: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http') throw exception;
    const res = host.switchToHttp().getResponse<Response>();
    const req = host.switchToHttp().getRequest<Request>();
    const problem = toProblem(exception, req.originalUrl?.split('?')[0]);
    if (problem.status >= 500 && exception instanceof HttpException) {
      // A failure the code foresaw and described (a model's answer refused, a dependency down): no stack needed.
      this.logger.warn(
        `${req.method} ${req.path} answered ${problem.status}: ${problem.type}: ${problem.detail ?? ''}`,
      );
    } else if (problem.status >= 500) {
      const err = exception as Error;
      this.logger.error(`${req.method} ${req.path} failed: ${err?.name}: ${err?.message}`, err?.stack);
    }
    if (res.headersSent) return;
    // A refusal that says when to try again says it as a header too (RFC 9110 Retry-After).
    if (typeof problem.retryAfterSeconds === 'number')
      res.setHeader('Retry-After', String(problem.retryAfterSeconds));
    res.status(problem.status).type('application/problem+json').send(JSON.stringify(problem));
  }
}

export function toProblem(exception: unknown, instance?: string): ProblemDetails {
  if (exception instanceof HttpException) {
    const status = exception.getStatus();
    const body = exception.getResponse();
    if (typeof body === 'object' && body !== null && 'type' in body && 'title' in body) {
      return { ...(body as ProblemDetails), instance };
    }
    const message =
      typeof body === 'string'
        ? body
        : typeof (body as { message?: unknown }).message === 'string'
          ? (body as { message: string }).message
          : undefined;
    return {
      type: problemType(status === 404 ? 'not-found' : `http-${status}`),
      title: TITLES[status] ?? 'Error',
      status,
      ...(message ? { detail: message } : {}),
      instance,
    };
  }
  // Errors raised by Express middleware (body parsers) carry an HTTP status and a type.
  const e = exception as { status?: number; statusCode?: number; type?: string; message?: string };
  const status = e?.status ?? e?.statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    const kind =
      e.type === 'entity.too.large'
        ? 'payload-too-large'
        : e.type === 'entity.parse.failed'
          ? 'malformed-json'
          : e.type === 'encoding.unsupported' || e.type === 'charset.unsupported'
            ? 'unsupported-encoding'
            : `http-${status}`;
    const detail =
      kind === 'malformed-json'
        ? 'The request body is not valid JSON.'
        : kind === 'payload-too-large'
          ? 'The request body is larger than this endpoint accepts.'
          : e.message;
    return { type: problemType(kind), title: TITLES[status] ?? 'Bad request', status, detail, instance };
  }
  // PostgreSQL refused a character of the input (a NUL byte, invalid UTF-8): the caller's mistake, not ours.
  if ((exception as { code?: unknown })?.code === '22021') {
    return {
      type: problemType('invalid-characters'),
      title: 'Bad request',
      status: 400,
      detail: 'The request contains characters that cannot be stored (e.g. a NUL byte).',
      instance,
    };
  }
  return {
    type: problemType('internal'),
    title: 'Internal error',
    status: 500,
    detail: 'Something went wrong on our side; it has been logged.',
    instance,
  };
}
