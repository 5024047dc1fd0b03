import type { IssuerDirectory } from '../../issuers/application/issuer-directory.js';
import type { StatusBook } from '../../certificates/application/status-book.js';
import type { OcspPolicy } from '../../ocsp/application/ocsp-policy.js';
import type { Presigner } from './presigner.js';
import type { PresignedResponseCache } from './presigned-response.cache.js';

/** Runs `work` over `items` with at most `concurrency` in flight. */
export async function forEachBounded<T>(items: T[], concurrency: number, work: (item: T) => Promise<unknown>): Promise<void> {
  let next = 0;
  const lanes = Array.from({ length: Math.min(concurrency, items.length) }, async () => {
    while (next < items.length) await work(items[next++]);
  });
  await Promise.all(lanes);
}

/**
 * Keeps a pre-signed response for every known certificate: signs the missing ones and re-signs
 * those within `refreshBeforeSeconds` of their nextUpdate, with bounded concurrency so a large
 * CA never floods the signing pool ahead of live requests.
 */
export class PresignRefreshJob {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<number> | null = null;

  constructor(
    private readonly presigner: Presigner,
    private readonly directory: IssuerDirectory,
    private readonly book: StatusBook,
    private readonly cache: PresignedResponseCache,
    private readonly policy: OcspPolicy,
    private readonly onError: (err: unknown) => void = () => undefined,
  ) {}

  start(intervalMs: number): void {
    this.timer = setInterval(() => void this.runOnce().catch(this.onError), intervalMs);
    this.timer.unref();
  }

  stop(): Promise<unknown> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    return this.running ?? Promise.resolve();
  }

  /** One pass; returns how many responses were signed. Overlapping calls share one pass. */
  runOnce(): Promise<number> {
    if (!this.running) this.running = this.pass().finally(() => (this.running = null));
    return this.running;
  }

  private async pass(): Promise<number> {
    if (!this.book.ready) return 0;
    const deadline = Date.now() + this.policy.refreshBeforeSeconds * 1000;
    const todo: { issuerId: string; serial: string; certIdDer: Buffer }[] = [];
    for (const entry of this.cache.values()) {
      if (entry.nextUpdate.getTime() <= deadline) todo.push({ issuerId: entry.issuerId, serial: entry.serial, certIdDer: entry.certIdDer });
    }
    for (const status of this.book.all()) {
      const issuer = this.directory.getById(status.issuerId);
      if (!issuer) continue;
      const certIdDer = this.presigner.certIdFor(issuer, status.serial);
      if (!this.cache.peek(certIdDer.toString('latin1'))) todo.push({ issuerId: status.issuerId, serial: status.serial, certIdDer });
    }
    let signed = 0;
    await forEachBounded(todo, this.policy.refreshConcurrency, async (t) => {
      const issuer = this.directory.getById(t.issuerId);
      if (!issuer) return;
      try {
        if (await this.presigner.presign(issuer, t.serial, t.certIdDer)) signed++;
      } catch (err) {
        this.onError(err);
      }
    });
    return signed;
  }
}
