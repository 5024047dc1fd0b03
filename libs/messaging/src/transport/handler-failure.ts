import { AsyncContextSlot } from '@darvazeh/core';
import { RpcExceptionsHandler } from '@nestjs/microservices/exceptions/rpc-exceptions-handler.js';

/**
 * Nest's RPC proxy turns whatever a handler throws into `{ status: 'error', message:
 * 'Internal server error' }` before the transport sees it, and the filters it uses are fixed
 * when the microservice is connected. The transport needs the real error (to tell a transient
 * failure from a rule violation, and to write it into the dead letter's headers), so while a
 * handler runs we remember the exception the handler threw in an async-context slot.
 * Behaviour is unchanged: the original `handle` still runs.
 */
interface FailureSlot {
  error?: unknown;
}

const slot = new AsyncContextSlot<FailureSlot>('handler-failure');
let installed = false;

export function installHandlerFailureCapture(): void {
  if (installed) return;
  installed = true;
  const prototype = RpcExceptionsHandler.prototype as unknown as {
    handle: (exception: unknown, ...rest: unknown[]) => unknown;
  };
  const original = prototype.handle;
  prototype.handle = function handle(this: unknown, exception: unknown, ...rest: unknown[]) {
    const current = slot.get();
    if (current && current.error === undefined) current.error = exception;
    return original.call(this, exception, ...rest);
  };
}

/** Runs `work`; if it fails, rethrows the error the handler originally threw when known. */
export async function withHandlerFailureCapture<T>(work: () => Promise<T>): Promise<T> {
  const current: FailureSlot = {};
  try {
    return await slot.run(current, work);
  } catch (error) {
    throw current.error ?? error;
  }
}
