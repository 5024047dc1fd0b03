import type { EntityManager } from 'typeorm';

/** An in-memory effect of a transaction's outcome (a cache, an index, a projection in memory). */
export type AfterCommitEffect = () => void | Promise<void>;

/**
 * Runs work in one database transaction. A call made while another transaction is active in
 * the same async context joins it (AsyncLocalStorage), so an idempotent consumer can open the
 * transaction, record the processed event id, and the use case it calls writes its rows and its
 * outbox rows in that same transaction.
 *
 * Because a use case may be joined into a transaction it does not own, code after its `run(...)`
 * is not "after the commit". Effects outside the database go through `afterCommit`.
 */
export abstract class TransactionRunner {
  abstract run<T>(work: (manager: EntityManager) => Promise<T>): Promise<T>;
  /** The manager of the active transaction, or the root manager outside one. */
  abstract manager(): EntityManager;

  /**
   * Runs `effect` once the outermost transaction of this async context has committed, after
   * the effects registered before it; drops it if that transaction rolls back. Outside a
   * transaction it runs at once. This base version (for in-memory fakes without transactions)
   * always runs at once.
   */
  afterCommit(effect: AfterCommitEffect): void {
    void effect();
  }

  /**
   * How many effects the active transaction holds now. With `discardEffectsSince`, code that
   * rolls back to a SAVEPOINT (a consumer batch dropping one failed message) drops the effects
   * registered after it, and keeps the others for the commit.
   */
  effectsMark(): number {
    return 0;
  }

  discardEffectsSince(_mark: number): void {
    // Nothing is held outside a transaction.
  }
}
