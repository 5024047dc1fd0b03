import type { EntityManager } from 'typeorm';
import { TransactionRunner, type AfterCommitEffect } from '@darvazeh/database';

/** A fake repository's in-memory state: `snapshot()` returns the function that restores it. */
export interface RestorableStore {
  snapshot(): () => void;
}

/**
 * The TransactionRunner of use-case unit tests, with the contract of TypeOrmTransactionRunner and
 * no database: a `run` inside another joins it; when the outermost one throws, every registered
 * store is restored (a rollback, so a test can check that a refused request left nothing behind)
 * and its after-commit effects are dropped; when it resolves, they run in registration order.
 * One class for every app, so no app's fakes drift from the real runner's semantics.
 */
export class InMemoryTransactionRunner extends TransactionRunner {
  readonly stores: RestorableStore[] = [];
  /** How many outermost transactions were opened. */
  runs = 0;
  private effects: AfterCommitEffect[] | null = null;

  override async run<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    if (this.effects) return work({} as EntityManager);
    this.runs++;
    const restores = this.stores.map((s) => s.snapshot());
    this.effects = [];
    try {
      const result = await work({} as EntityManager);
      const committed = this.effects;
      this.effects = null;
      for (const effect of committed) await effect();
      return result;
    } catch (error) {
      this.effects = null;
      restores.forEach((restore) => restore());
      throw error;
    }
  }

  override manager(): EntityManager {
    return {} as EntityManager;
  }

  override afterCommit(effect: AfterCommitEffect): void {
    if (this.effects) this.effects.push(effect);
    else void effect();
  }

  override effectsMark(): number {
    return this.effects?.length ?? 0;
  }

  override discardEffectsSince(mark: number): void {
    this.effects?.splice(mark);
  }
}
