import type { LoggerService } from '@nestjs/common';
import { requestContext } from './request-context';

const LEVELS = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 } as const;
export type LogLevel = keyof typeof LEVELS;

/**
 * One JSON object per line on stdout, with the request/conversation id of the current context. Callers log
 * ids and counts, never message bodies, tokens or contact data.
 */
export class JsonLogger implements LoggerService {
  constructor(
    private readonly level: LogLevel = 'info',
    private readonly write: (line: string) => void = (line) => process.stdout.write(line + '\n'),
  ) {}

  log(message: unknown, context?: string): void {
    this.emit('info', message, context);
  }
  error(message: unknown, stackOrContext?: string, context?: string): void {
    // Nest passes (message, stack, context) or (message, context).
    const stack = context ? stackOrContext : undefined;
    this.emit('error', message, context ?? stackOrContext, stack);
  }
  warn(message: unknown, context?: string): void {
    this.emit('warn', message, context);
  }
  debug(message: unknown, context?: string): void {
    this.emit('debug', message, context);
  }
  verbose(message: unknown, context?: string): void {
    this.emit('debug', message, context);
  }

  private emit(level: Exclude<LogLevel, 'silent'>, message: unknown, context?: string, stack?: string): void {
    if (LEVELS[level] < LEVELS[this.level]) return;
    const ctx = requestContext.getStore();
    const entry: Record<string, unknown> = { time: new Date().toISOString(), level, context };
    if (ctx?.requestId) entry.requestId = ctx.requestId;
    if (ctx?.conversationId) entry.conversationId = ctx.conversationId;
    // An Error's message and name are not enumerable: copy them, or the line says nothing.
    if (message instanceof Error) {
      entry.msg = `${message.name}: ${message.message}`;
      entry.stack ??= message.stack;
    } else if (typeof message === 'object' && message !== null) Object.assign(entry, message);
    else entry.msg = String(message);
    if (stack) entry.stack = stack;
    this.write(JSON.stringify(entry));
  }
}
