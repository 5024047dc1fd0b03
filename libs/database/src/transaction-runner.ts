import type { EntityManager } from 'typeorm';

/**
 * Runs work in one database transaction. A call made while another transaction is active in
 * the same async context joins it (AsyncLocalStorage), so an idempotent consumer can open the
 * transaction, record the processed event id, and the use case it calls writes its rows and its
 * outbox rows in that same transaction.
 */
export abstract class TransactionRunner {
  abstract run<T>(work: (manager: EntityManager) => Promise<T>): Promise<T>;
  /** The manager of the active transaction, or the root manager outside one. */
  abstract manager(): EntityManager;
}
