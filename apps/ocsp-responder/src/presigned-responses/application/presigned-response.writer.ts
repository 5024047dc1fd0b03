import type { PresignedResponseStore, StoredResponse } from './presigned-response.store.js';

export interface PresignedResponseWriterOptions {
  /** Responses per store call (one unnest upsert in the PostgreSQL store). */
  maxBatch?: number;
  /** How long a lone write waits for company before it is flushed. */
  delayMs?: number;
  /** Wait after a failed flush before the next try. */
  retryMs?: number;
}

/**
 * Write-behind for the durable copy of the pre-signed responses.
 *
 * Why: every signature used to be its own one-row upsert, so signing a CA's certificates at
 * start-up (or a re-sign pass near nextUpdate) cost a transaction per certificate, on the same
 * two cores that answer OCSP. Writes are coalesced per CertID (the newest response wins, so a
 * row is never written twice in one batch) and flushed in multi-row upserts, one batch in flight
 * at a time, so a later response of a certificate always lands after an earlier one.
 *
 * The store is a cache copy: the in-memory cache already serves the response, and a row lost to
 * a crash is only signed again at the next start. A failed batch is put back (unless a newer
 * response of the same CertID arrived meanwhile) and retried; the backlog is bounded by the
 * number of cached responses, since it is keyed by CertID.
 */
export class PresignedResponseWriter {
  private readonly pending = new Map<string, StoredResponse>();
  private inFlight: Promise<void> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private readonly maxBatch: number;
  private readonly delayMs: number;
  private readonly retryMs: number;
  private idleWaiters: (() => void)[] = [];
  private closed = false;

  constructor(
    private readonly store: PresignedResponseStore,
    options: PresignedResponseWriterOptions = {},
    private readonly onError: (err: unknown) => void = () => undefined,
  ) {
    this.maxBatch = options.maxBatch ?? 500;
    this.delayMs = options.delayMs ?? 20;
    this.retryMs = options.retryMs ?? 1_000;
  }

  /** Responses queued or being written. */
  get backlog(): number {
    return this.pending.size + (this.inFlight ? 1 : 0);
  }

  write(response: StoredResponse): void {
    this.pending.set(response.certIdDer.toString('latin1'), response);
    if (this.inFlight) return; // the running flush picks it up
    if (this.pending.size >= this.maxBatch) this.startFlush();
    else this.schedule(this.delayMs);
  }

  /** Resolves once everything written so far is stored (or, while the store fails, on close). */
  idle(): Promise<void> {
    if (this.backlog === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Writes what is pending now (one last try, no retry loop) and stops. */
  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.inFlight) await this.inFlight;
    if (this.pending.size) {
      this.startFlush();
      await this.inFlight;
    }
    this.wakeIdle(true);
  }

  private schedule(ms: number): void {
    if (this.timer || this.closed) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.startFlush();
    }, ms);
    this.timer.unref();
  }

  private startFlush(): void {
    if (this.inFlight || this.pending.size === 0) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const batch = [...this.pending.entries()].slice(0, this.maxBatch);
    for (const [key] of batch) this.pending.delete(key);
    this.inFlight = this.store.save(batch.map(([, r]) => r)).then(
      () => this.afterFlush(true),
      (err: unknown) => {
        this.onError(err);
        // Put the batch back, behind nothing newer: a response queued meanwhile is fresher.
        for (const [key, r] of batch) if (!this.pending.has(key)) this.pending.set(key, r);
        this.afterFlush(false);
      },
    );
  }

  private afterFlush(ok: boolean): void {
    this.inFlight = null;
    if (this.closed) return;
    if (this.pending.size === 0) return this.wakeIdle(false);
    if (!ok) return this.schedule(this.retryMs);
    if (this.pending.size >= this.maxBatch) this.startFlush();
    else this.schedule(this.delayMs);
  }

  private wakeIdle(force: boolean): void {
    if (!force && this.backlog > 0) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const w of waiters) w();
  }
}
