import { AsyncLocalStorage } from 'node:async_hooks';
import type { DataSource, EntityManager } from 'typeorm';
import { TransactionRunner } from './transaction-runner.js';

export type IsolationLevel = 'READ COMMITTED' | 'REPEATABLE READ' | 'SERIALIZABLE';

export interface RunOptions {
  /** Default READ COMMITTED. Ignored when joining an outer transaction (it already has one). */
  isolation?: IsolationLevel;
}

/**
 * TransactionRunner on a TypeORM DataSource. The active transaction's manager lives in an
 * AsyncLocalStorage, so a nested `run` (a use case called by an idempotent consumer that
 * already opened the transaction) joins it instead of opening a second connection — the
 * consumer's processed_events row, the use case's rows and its outbox rows commit together.
 */
export class TypeOrmTransactionRunner extends TransactionRunner {
  private readonly active = new AsyncLocalStorage<EntityManager>();

  constructor(private readonly dataSource: DataSource) {
    super();
  }

  override run<T>(work: (manager: EntityManager) => Promise<T>, options: RunOptions = {}): Promise<T> {
    const outer = this.active.getStore();
    if (outer?.queryRunner && !outer.queryRunner.isReleased && outer.queryRunner.isTransactionActive) {
      return work(outer);
    }
    const body = (manager: EntityManager) => this.active.run(manager, () => work(manager));
    // READ COMMITTED is Postgres' default: naming it would cost a SET TRANSACTION round trip
    // on every transaction (the consumer hot path opens one per message).
    return options.isolation && options.isolation !== 'READ COMMITTED'
      ? this.dataSource.transaction(options.isolation, body)
      : this.dataSource.transaction(body);
  }

  override manager(): EntityManager {
    const store = this.active.getStore();
    if (store?.queryRunner && !store.queryRunner.isReleased && store.queryRunner.isTransactionActive) {
      return store;
    }
    return this.dataSource.manager;
  }

  /** True while called from inside `run`. */
  inTransaction(): boolean {
    return this.manager() !== this.dataSource.manager;
  }
}
