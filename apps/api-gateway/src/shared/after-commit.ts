import type { TransactionRunner } from '@darvazeh/database';

// TEMP until TransactionRunner.afterCommit lands with the platform.
export function afterCommit(tx: TransactionRunner, fn: () => void): void {
  const runner = tx as TransactionRunner & { afterCommit?: (f: () => void) => void };
  if (runner.afterCommit) runner.afterCommit(fn);
  else fn();
}
