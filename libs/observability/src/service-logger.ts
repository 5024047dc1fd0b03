import type { LoggerService } from '@nestjs/common';
import { pino, type DestinationStream, type Logger } from 'pino';
import { TraceContext } from './trace-context.js';

export interface ServiceLoggerOptions {
  service: string;
  level: string;
  /** Where JSON lines go; stdout by default. Tests pass a stream to read the lines back. */
  destination?: DestinationStream;
}

export function createPinoLogger(options: ServiceLoggerOptions): Logger {
  return pino(
    {
      level: options.level,
      base: { service: options.service },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      // Every line written while a request or a consumed event is being handled carries its
      // trace, so logs of one flow can be joined across services.
      mixin() {
        const t = TraceContext.current();
        return t ? { trace_id: t.traceId, span_id: t.spanId } : {};
      },
    },
    options.destination ?? pino.destination({ dest: 1, sync: false }),
  );
}

/**
 * Nest's logger interface on top of the service's pino logger. One per service rather than
 * nestjs-pino's process-wide root logger: in embedded mode several services share a process
 * and each must log under its own name and level.
 */
export class ServiceLogger implements LoggerService {
  constructor(readonly pino: Logger) {}

  log(message: unknown, ...rest: unknown[]): void {
    this.write('info', message, rest);
  }
  error(message: unknown, ...rest: unknown[]): void {
    this.write('error', message, rest);
  }
  warn(message: unknown, ...rest: unknown[]): void {
    this.write('warn', message, rest);
  }
  debug(message: unknown, ...rest: unknown[]): void {
    this.write('debug', message, rest);
  }
  verbose(message: unknown, ...rest: unknown[]): void {
    this.write('trace', message, rest);
  }
  fatal(message: unknown, ...rest: unknown[]): void {
    this.write('fatal', message, rest);
  }

  private write(level: 'info' | 'error' | 'warn' | 'debug' | 'trace' | 'fatal', message: unknown, rest: unknown[]): void {
    // Nest passes the context (class name) last; errors may pass a stack before it.
    const params = [...rest];
    const context = typeof params[params.length - 1] === 'string' ? (params.pop() as string) : undefined;
    const bindings: Record<string, unknown> = context ? { context } : {};
    if (level === 'error' || level === 'fatal') {
      const stack = params.find((p) => typeof p === 'string');
      if (stack) bindings.stack = stack;
    }
    if (message instanceof Error) {
      this.pino[level]({ ...bindings, err: message }, message.message);
    } else if (typeof message === 'object' && message !== null) {
      this.pino[level]({ ...bindings, ...(message as object) });
    } else {
      this.pino[level](bindings, String(message));
    }
  }
}
