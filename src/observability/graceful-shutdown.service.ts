import type { Server } from 'node:http';
import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
  type OnModuleDestroy,
} from '@nestjs/common';
import { HttpAdapterHost, ModuleRef } from '@nestjs/core';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { HealthService } from '../health/health.service';
import { WebChatGateway } from '../web-chat/web-chat.gateway';
import { MetricsService } from './metrics.service';

const SIGNALS = ['SIGTERM', 'SIGINT'] as const;
/** What clients are told to wait before reconnecting (a rolling restart replaces an instance in seconds). */
const RECONNECT_HINT_MS = 1000;
/** How often a draining server looks for connections whose last request has been answered. */
const IDLE_SWEEP_MS = 100;

/**
 * The order of a graceful stop. Nest's own sequence (enableShutdownHooks) is: every onModuleDestroy (the LINE
 * inbox worker hands back what it was doing, the outbox sender flushes and stops, the LLM call log flushes),
 * beforeApplicationShutdown, closing the HTTP and socket.io servers, onApplicationShutdown. Two things must
 * happen earlier and one later, and this service does them:
 *
 * 1. First, on the signal: readiness turns `down` (load balancers stop sending), the listening socket closes
 *    (no new connections; requests already in flight finish), and web chat sockets are told to reconnect and
 *    their transports closed, so the widget reconnects elsewhere and resumes from its last seen message.
 * 2. Last: the database closes, after everything that could still write to it has stopped.
 */
@Injectable()
export class GracefulShutdownService
  implements OnApplicationBootstrap, OnModuleDestroy, OnApplicationShutdown
{
  private readonly logger = new Logger('Shutdown');
  private draining: Promise<void> | undefined;
  private readonly finalizers: Array<() => Promise<void>> = [];
  private readonly onSignal = (signal: NodeJS.Signals) => {
    this.logger.log({ msg: 'shutdown signal received: draining', signal });
    void this.drain();
  };

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly metrics: MetricsService,
    private readonly health: HealthService,
    private readonly adapterHost: HttpAdapterHost,
    private readonly moduleRef: ModuleRef,
  ) {}

  onApplicationBootstrap(): void {
    // Runs beside Nest's own listener (registered by enableShutdownHooks), which then calls the hooks.
    for (const signal of SIGNALS) process.on(signal, this.onSignal);
  }

  get isDraining(): boolean {
    return this.draining !== undefined;
  }

  /** Registers work for the very end (closing the database); run once, in order, after Nest has stopped. */
  finally(finalizer: () => Promise<void>): void {
    this.finalizers.push(finalizer);
  }

  /** Step 1 (idempotent): stop taking new work at the edges. */
  drain(): Promise<void> {
    this.draining ??= this.stopIntake();
    return this.draining;
  }

  /** app.close() without a signal (tests, embedding code) drains too. */
  onModuleDestroy(): Promise<void> {
    return this.drain();
  }

  async onApplicationShutdown(): Promise<void> {
    for (const signal of SIGNALS) process.removeListener(signal, this.onSignal);
    for (const finalizer of this.finalizers.splice(0)) {
      await finalizer().catch((err: Error) =>
        this.logger.error({ msg: 'shutdown step failed', error: err.message }),
      );
    }
  }

  private async stopIntake(): Promise<void> {
    this.metrics.shuttingDown.set(1);
    this.health.register('shutdown', () =>
      Promise.resolve({ status: 'down' as const, detail: 'shutting down' }),
    );
    const server = this.adapterHost.httpAdapter?.getHttpServer() as Server | undefined;
    if (server?.listening) {
      // Stops listening now; Nest waits for open requests when it closes the server later.
      server.close();
      this.closeConnectionsAsTheyIdle(server);
    }
    let sockets = 0;
    try {
      sockets = this.moduleRef.get(WebChatGateway, { strict: false }).closeForRestart(RECONNECT_HINT_MS);
    } catch {
      // no web chat in this app
    }
    this.logger.log({
      msg: 'draining: no new connections',
      webChatSocketsClosed: sockets,
      drainMs: this.config.operations.shutdownDrainMs,
    });
  }

  /**
   * Node's server.close() ends only the keep-alive connections idle at that moment. One whose request was still
   * being answered stays open once the answer is sent, until keepAliveTimeout (65 s here, to outlive a load
   * balancer's idle timeout): the stop waited that long for it, past a 30 s SIGKILL grace period. So the idle ones
   * are closed again as in-flight requests finish, until the server has no connection left.
   */
  private closeConnectionsAsTheyIdle(server: Server): void {
    server.closeIdleConnections();
    const sweep = setInterval(() => server.closeIdleConnections(), IDLE_SWEEP_MS);
    sweep.unref();
    server.once('close', () => clearInterval(sweep));
  }
}
