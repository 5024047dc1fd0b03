import type { IssuerDirectory } from '../../issuers/application/issuer-directory.js';
import type { StatusBook } from '../../certificates/application/status-book.js';
import type { OcspPolicy } from '../../ocsp/application/ocsp-policy.js';
import type { Presigner } from './presigner.js';
import type { PresignedResponseCache } from './presigned-response.cache.js';
import type { BulkPresigner } from './bulk-presigner.js';

/** Missing answers of one issuer from which a pass hands them to the bulk pipeline. */
const BULK_FROM = 2_000;

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
    private readonly log: (message: string) => void = () => undefined,
    private readonly progressEveryMs = 5_000,
    private readonly bulk: BulkPresigner | null = null,
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
    const missing = new Map<string, { issuerId: string; serial: string; certIdDer: Buffer }[]>();
    for (const status of this.book.all()) {
      const issuer = this.directory.getById(status.issuerId);
      // An issuer the bulk pipeline is pre-signing: what it lacks is the pipeline's.
      if (!issuer || this.bulk?.running(status.issuerId)) continue;
      const certIdDer = this.presigner.certIdFor(issuer, status.serial);
      if (this.cache.peek(certIdDer.toString('latin1'))) continue;
      let list = missing.get(status.issuerId);
      if (!list) missing.set(status.issuerId, (list = []));
      list.push({ issuerId: status.issuerId, serial: status.serial, certIdDer });
    }
    const bulkPasses: Promise<{ signed: number }>[] = [];
    for (const [issuerId, list] of missing) {
      // A new CA, or answers signed under another profile: the streaming pipeline, not one by one.
      if (this.bulk && list.length >= BULK_FROM) bulkPasses.push(this.bulk.presignIssuer(issuerId));
      else todo.push(...list);
    }
    const bulkSigned = Promise.all(bulkPasses).then((r) => r.reduce((n, x) => n + x.signed, 0));
    if (todo.length === 0) return bulkSigned;
    const started = Date.now();
    let signed = 0;
    let done = 0;
    let lastReport = started;
    if (todo.length >= 100) this.log(`pre-signing ${todo.length} responses (missing, signed under another profile, or near nextUpdate)`);
    await forEachBounded(todo, this.policy.refreshConcurrency, async (t) => {
      const issuer = this.directory.getById(t.issuerId);
      if (!issuer) return;
      try {
        if (await this.presigner.presign(issuer, t.serial, t.certIdDer)) signed++;
      } catch (err) {
        this.onError(err);
      }
      done++;
      if (Date.now() - lastReport >= this.progressEveryMs) {
        lastReport = Date.now();
        this.log(`pre-signing: ${done}/${todo.length} (${Math.round((done * 1000) / (lastReport - started))}/s)`);
      }
    });
    if (todo.length >= 100) {
      const ms = Math.max(1, Date.now() - started);
      this.log(`pre-signed ${signed} responses in ${(ms / 1000).toFixed(1)} s (${Math.round((signed * 1000) / ms)}/s)`);
    }
    return signed + (await bulkSigned);
  }
}
