import { AsyncContextSlot } from '@darvazeh/core';
import type { LoggerService } from '@nestjs/common';

/** The logger of the service whose code is running (set once its app is built). */
interface ServiceLogSlot {
  logger?: LoggerService;
}

const slots = new AsyncContextSlot<ServiceLogSlot>('service-log');
let lastStarted: LoggerService | undefined;

/**
 * Nest's `Logger` is static: `app.useLogger(x)` replaces the one logger every `new Logger(ctx)`
 * in the process writes to, so with several services in one process (embedded mode) every line
 * carried the name of the service started last. This logger, installed as that static one,
 * writes each line to the logger of the service in whose async context the code runs: every
 * server, timer and consumer a service starts inside `runInServiceContext` keeps that context.
 */
class ServiceRoutingLogger implements LoggerService {
  private target(): LoggerService | undefined {
    return slots.get()?.logger ?? lastStarted;
  }
  log(message: unknown, ...rest: unknown[]): void {
    this.target()?.log(message, ...rest);
  }
  error(message: unknown, ...rest: unknown[]): void {
    this.target()?.error(message, ...rest);
  }
  warn(message: unknown, ...rest: unknown[]): void {
    this.target()?.warn(message, ...rest);
  }
  debug(message: unknown, ...rest: unknown[]): void {
    this.target()?.debug?.(message, ...rest);
  }
  verbose(message: unknown, ...rest: unknown[]): void {
    this.target()?.verbose?.(message, ...rest);
  }
  fatal(message: unknown, ...rest: unknown[]): void {
    this.target()?.fatal?.(message, ...rest);
  }
}

export const SERVICE_ROUTING_LOGGER: LoggerService = new ServiceRoutingLogger();

/** Runs `start` (a service's boot) in its own logging context; `bind` names its logger once built. */
export function runInServiceContext<T>(start: (bind: (logger: LoggerService) => void) => Promise<T>): Promise<T> {
  const slot: ServiceLogSlot = {};
  return slots.run(slot, () =>
    start((logger) => {
      slot.logger = logger;
      lastStarted = logger;
    }),
  );
}
