import { Logger } from '@nestjs/common';
import type { DataSource, EntityManager } from 'typeorm';
import { AsyncContextSlot } from '@darvazeh/core';
import { TransactionRunner, type AfterCommitEffect } from './transaction-runner.js';

export type IsolationLevel = 'READ COMMITTED' | 'REPEATABLE READ' | 'SERIALIZABLE';

export interface RunOptions {
  /** Default READ COMMITTED. Ignored when joining an outer transaction (it already has one). */
  isolation?: IsolationLevel;
}

/** What the outermost `run` of an async context holds while its transaction is open. */
interface ActiveTransaction {
  manager: EntityManager;
  effects: AfterCommitEffect[];
}

/**
 * TransactionRunner on a TypeORM DataSource. The active transaction lives in an
 * async-context slot (one per runner, in the platform's one AsyncLocalStorage), so a nested
 * `run` (a use case called by an idempotent consumer that already opened the transaction) joins it instead of opening a second connection — the
 * consumer's processed_events row, the use case's rows and its outbox rows commit together, and
 * the effects registered with `afterCommit` anywhere inside run once, after that one commit.
 */
export class TypeOrmTransactionRunner extends TransactionRunner {
  private readonly active = new AsyncContextSlot<ActiveTransaction>('transaction');
  private readonly logger = new Logger('TransactionRunner');

  constructor(private readonly dataSource: DataSource) {
    super();
  }

  override async run<T>(work: (manager: EntityManager) => Promise<T>, options: RunOptions = {}): Promise<T> {
    const outer = this.open();
    if (outer) return work(outer.manager);
    const effects: AfterCommitEffect[] = [];
    const body = (manager: EntityManager) => this.active.run({ manager, effects }, () => work(manager));
    // READ COMMITTED is Postgres' default: naming it would cost a SET TRANSACTION round trip
    // on every transaction (the consumer hot path opens one per message).
    const result = options.isolation && options.isolation !== 'READ COMMITTED'
      ? await this.dataSource.transaction(options.isolation, body)
      : await this.dataSource.transaction(body);
    // Committed: the effects are now true. A rollback threw above and took them with it.
    if (effects.length > 0) await this.runEffects(effects);
    return result;
  }

  override manager(): EntityManager {
    return this.open()?.manager ?? this.dataSource.manager;
  }

  /** True while called from inside `run`. */
  inTransaction(): boolean {
    return this.open() !== undefined;
  }

  override afterCommit(effect: AfterCommitEffect): void {
    const tx = this.open();
    if (tx) tx.effects.push(effect);
    else void this.runEffects([effect]);
  }

  override effectsMark(): number {
    return this.open()?.effects.length ?? 0;
  }

  override discardEffectsSince(mark: number): void {
    const tx = this.open();
    if (tx && tx.effects.length > mark) tx.effects.length = mark;
  }

  private open(): ActiveTransaction | undefined {
    const tx = this.active.get();
    const runner = tx?.manager.queryRunner;
    return runner && !runner.isReleased && runner.isTransactionActive ? tx : undefined;
  }

  /**
   * In registration order, each awaited. The transaction is committed whatever an effect does,
   * so a failing effect is logged, never thrown back into the caller: it must not turn a
   * committed use case into a reported failure (a consumer would redeliver it as a duplicate).
   */
  private async runEffects(effects: AfterCommitEffect[]): Promise<void> {
    for (const effect of effects) {
      try {
        await effect();
      } catch (error) {
        this.logger.error(`after-commit effect failed: ${(error as Error)?.stack ?? String(error)}`);
      }
    }
  }
}
