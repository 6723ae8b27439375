import type { Server as HttpServer } from 'node:http';
import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { AppModule } from '../app.module';
import type { AppConfig } from '../config/app-config';
import { JsonLogger } from '../common/json-logger';
import { migrate } from '../database/migrator';
import { type Database, openDatabase } from '../database/open-database';
import { GracefulShutdownService } from '../observability/graceful-shutdown.service';
import { SeedService } from '../seeding/seed.service';
import { configureHttp } from './http-setup';

export interface RunningApp {
  app: INestApplication;
  database: Database;
  /** Base URL the server listens on, e.g. http://127.0.0.1:3000 */
  url: string;
  close(): Promise<void>;
}

export interface StartOptions {
  /** An already-open database (tests pass one); otherwise opened from config. Closed by close() either way. */
  database?: Database;
  /** Load the seed profiles on the first start of a database (default: config.database.seedOnFirstStart). */
  seed?: boolean;
  listen?: boolean;
}

/** Opens and migrates the database, builds the Nest app, seeds on first start and listens. */
export async function startApp(config: AppConfig, options: StartOptions = {}): Promise<RunningApp> {
  const logger = new JsonLogger(config.logLevel);
  const database = options.database ?? (await openDatabase(config.database));
  const migration = await migrate(database.pool);
  if (migration.applied.length > 0)
    logger.log({ msg: 'migrations applied', applied: migration.applied }, 'Database');

  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config, database), {
    bodyParser: false,
    logger,
  });
  configureHttp(app, config);
  app.enableShutdownHooks();
  // The database closes last, after every shutdown hook (also on SIGTERM, where close() below is not called).
  const shutdown = app.get(GracefulShutdownService);
  let databaseClosed: Promise<void> | undefined;
  const closeDatabase = () => (databaseClosed ??= database.close());
  shutdown.finally(closeDatabase);
  await app.init();

  if (options.seed ?? config.database.seedOnFirstStart) await app.get(SeedService).seedIfFirstStart();

  let url = '';
  if (options.listen !== false) {
    // connectionsCheckingInterval is a plain property of Node's server that its types leave out.
    const server = app.getHttpServer() as HttpServer & { connectionsCheckingInterval: number };
    // Idle keep-alive connections outlive a load balancer's (60 s is common): with Node's 5 s default, a client
    // reusing a connection just as the server closes it gets a reset (seen in bench:webhook: 1 of 2,000 events),
    // and a proxy answers 502.
    server.keepAliveTimeout = 65_000;
    // A request whose headers and body do not arrive in time is answered 408 and its socket closed, rather than
    // held for ever (HTTP_REQUEST_TIMEOUT_MS; Node's default is 300 s). Node checks every
    // connectionsCheckingInterval, read when the server starts listening: so these are set before it does.
    const { requestTimeoutMs } = config.http;
    server.requestTimeout = requestTimeoutMs;
    server.headersTimeout = Math.min(66_000, requestTimeoutMs);
    server.connectionsCheckingInterval = Math.min(30_000, Math.max(250, Math.floor(requestTimeoutMs / 4)));
    await app.listen(config.http.port, config.http.host);
    const address = server.address() as { port: number };
    url = `http://127.0.0.1:${address.port}`;
  }
  return {
    app,
    database,
    url,
    async close() {
      await shutdown.drain();
      await app.close();
      await closeDatabase();
    },
  };
}
