import { randomUUID } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import express, { type NextFunction, type Request, type Response } from 'express';
import type { AppConfig } from '../config/app-config';
import { ProblemFilter, toProblem } from '../common/problem.filter';
import { AuthService } from '../auth/auth.service';
import { ProblemException, problemType } from '../common/problem';
import { requestContext } from '../common/request-context';
import { unstorableTextAt } from '../common/text-safety';

const JSON_TYPES = ['application/json', 'application/merge-patch+json', 'application/*+json'];
/** The route that reads its own raw body (see RelayFilesController). */
const RAW_BODY_ROUTE = '/relay/uploads';

/**
 * Everything about HTTP that is not a route: body parsers with per-route limits, problem+json for parser
 * errors, request ids, OpenAPI docs. Used by `main.ts` and by the end-to-end tests, so tests run the real thing.
 */
export function configureHttp(app: INestApplication, config: AppConfig): void {
  const server = app.getHttpAdapter().getInstance() as express.Express;
  server.disable('x-powered-by');
  if (config.http.trustProxy) server.set('trust proxy', true);

  app.use((req: Request, res: Response, next: NextFunction) => {
    const incoming = req.header('x-request-id');
    const requestId = incoming && /^[\w.-]{1,100}$/.test(incoming) ? incoming : randomUUID();
    res.setHeader('X-Request-Id', requestId);
    requestContext.run({ requestId }, next);
  });

  // The LINE webhook signature is computed over the raw bytes: keep them (the controller parses JSON itself).
  app.use('/webhooks/line', express.raw({ type: () => true, limit: '1mb' }));
  // Imports are large by nature (10,000 profiles); everything else keeps a small limit. Who is asking is
  // checked before a byte of such a body is read (an anonymous 60 MB body used to be parsed, then refused).
  app.use('/api/companies/import', authenticateBeforeBody(app));
  app.use('/api/companies/import', express.json({ type: JSON_TYPES, limit: config.http.importBodyLimit }));
  app.use(
    '/api/companies/import',
    express.text({ type: ['text/csv', 'application/csv'], limit: config.http.importBodyLimit }),
  );
  // Every JSON body but a deal-room upload's: that route reads its raw body itself (a JSON file is a file), and
  // with the body consumed here it waited for the end of a stream that had already ended, answering never.
  const json = express.json({ type: JSON_TYPES, limit: config.http.bodyLimit });
  app.use((req: Request, res: Response, next: NextFunction) =>
    req.path === RAW_BODY_ROUTE ? next() : json(req, res, next),
  );
  app.use(rejectUnsupportedMediaTypes);
  app.use(rejectUnstorableText);
  // Parser errors (malformed JSON, oversize bodies) become problem+json here, before any route runs.
  app.use((err: unknown, req: Request, res: Response, next: NextFunction) => {
    if (res.headersSent) return next(err);
    const problem = toProblem(err, req.originalUrl.split('?')[0]);
    res.status(problem.status).type('application/problem+json').send(JSON.stringify(problem));
  });

  app.useGlobalFilters(new ProblemFilter());

  const docs = new DocumentBuilder()
    .setTitle('Kakehashi API')
    .setDescription(
      'Staff and partner API of Kakehashi, the Japan–Thailand business-matching chatbot. Errors are RFC 9457 ' +
        'problem+json. Authenticate with `Authorization: Bearer <token>` (see `npm run staff:token`).',
    )
    .setVersion('1')
    .addBearerAuth()
    .build();
  SwaggerModule.setup('api/docs', app, () => SwaggerModule.createDocument(app, docs), {
    jsonDocumentUrl: 'api/docs/openapi.json',
    customSiteTitle: 'Kakehashi API',
  });
}

/**
 * Refuses a request with no valid credentials before its body is read (the route's guard still checks the role).
 * The connection is closed with the answer, so the rest of the body is never received.
 */
function authenticateBeforeBody(app: INestApplication) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const refuse = (err: unknown) => {
      const problem = toProblem(err, req.originalUrl.split('?')[0]);
      res.setHeader('Connection', 'close');
      res.status(problem.status).type('application/problem+json').send(JSON.stringify(problem));
    };
    app
      .get(AuthService)
      .authenticate(req)
      .then((principal) =>
        principal
          ? next()
          : refuse(
              new ProblemException(
                401,
                'unauthenticated',
                'Authentication required',
                'Send a valid token as `Authorization: Bearer <token>`.',
              ),
            ),
      )
      .catch(refuse);
  };
}

/**
 * A body holding text PostgreSQL cannot store (a NUL character, half a surrogate pair) gets a clear 400 naming
 * the field, before any route runs: it used to fail the write with a 500.
 */
function rejectUnstorableText(req: Request, res: Response, next: NextFunction): void {
  const body: unknown = req.body;
  if (body === undefined || body === null || Buffer.isBuffer(body)) return next();
  const path = unstorableTextAt(body);
  if (path === undefined) return next();
  res
    .status(400)
    .type('application/problem+json')
    .send(
      JSON.stringify({
        // The type the database's own refusal (SQLSTATE 22021) is reported with, so one condition has one type.
        type: problemType('invalid-characters'),
        title: 'Bad request',
        status: 400,
        detail:
          'The request holds a NUL character or an unpaired UTF-16 surrogate, which no text may contain.',
        instance: req.originalUrl.split('?')[0],
        errors: [
          { path, message: 'contains a NUL character or an unpaired surrogate', code: 'unstorable_text' },
        ],
      }),
    );
}

/** A body in a type no route understands gets a clear 415 instead of being silently ignored. */
function rejectUnsupportedMediaTypes(req: Request, res: Response, next: NextFunction): void {
  const hasBody =
    Number(req.headers['content-length'] ?? 0) > 0 || req.headers['transfer-encoding'] !== undefined;
  if (!hasBody || !['POST', 'PUT', 'PATCH'].includes(req.method) || !req.path.startsWith('/api/'))
    return next();
  const allowed =
    req.path === '/api/companies/import'
      ? [...JSON_TYPES, 'text/csv', 'application/csv', 'multipart/form-data']
      : JSON_TYPES;
  if (req.is(allowed)) return next();
  res
    .status(415)
    .type('application/problem+json')
    .send(
      JSON.stringify({
        type: problemType('unsupported-media-type'),
        title: 'Unsupported media type',
        status: 415,
        detail: `Send ${allowed.join(' or ')}; got ${req.headers['content-type'] ?? 'no Content-Type'}.`,
        instance: req.originalUrl.split('?')[0],
      }),
    );
}
