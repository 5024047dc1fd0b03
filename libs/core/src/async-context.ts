import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * One AsyncLocalStorage for the whole platform; each concern (trace context, the service's
 * logger, the active transaction, a consumer handler's failure) owns a slot in it.
 *
 * Why one: on Node 20 every enabled AsyncLocalStorage instance adds its own propagation to
 * every async resource and promise the process creates, including the hot paths that never
 * enter a scope (the OCSP lane, the gateway's proxy). Measured on this 2-core machine
 * (2026-12-08, one pinned core, 2,000,000 `await`s): no instance 150 ns per await, one
 * instance 480 ns, four instances — what the libs used to create — 1,000–1,300 ns. Slots in
 * one store pay the one-instance price whatever their number.
 */
type ContextFrame = Readonly<Record<symbol, unknown>>;

const storage = new AsyncLocalStorage<ContextFrame>();

export class AsyncContextSlot<T> {
  private readonly key: symbol;

  /** `name` only labels the slot's key in a debugger; two slots of the same name are distinct. */
  constructor(name: string) {
    this.key = Symbol(name);
  }

  /** The value this slot holds in the current async context, if any. */
  get(): T | undefined {
    const frame = storage.getStore();
    return frame === undefined ? undefined : (frame[this.key] as T | undefined);
  }

  /**
   * Runs `fn` with this slot set to `value`; every other slot keeps the value it has here.
   * The frame is copied, never changed, so a context that already started sees no change.
   */
  run<R>(value: T, fn: () => R): R {
    const parent = storage.getStore();
    const frame: ContextFrame = parent === undefined ? { [this.key]: value } : { ...parent, [this.key]: value };
    return storage.run(frame, fn);
  }
}
