import type { CertificateStatus } from '../domain/certificate-status.js';
import { StatusBook } from './status-book.js';

/** Something that must react once a status change is committed (re-sign OCSP, schedule a CRL). */
export interface StatusListener {
  statusChanged(statuses: CertificateStatus[]): Promise<void>;
}

/**
 * Applies committed status changes (registered with TransactionRunner.afterCommit by the use
 * cases) to the in-memory book, then lets the listeners react. The
 * book update and the responder's cache eviction happen in the same tick (the first listener
 * evicts synchronously), so no request can be answered from a response signed before the change.
 */
export class StatusChangeEffects {
  private readonly listeners: StatusListener[] = [];

  constructor(private readonly book: StatusBook) {}

  listen(listener: StatusListener): void {
    this.listeners.push(listener);
  }

  async applied(statuses: CertificateStatus[]): Promise<void> {
    if (statuses.length === 0) return;
    for (const s of statuses) this.book.put(s);
    await Promise.all(this.listeners.map((l) => l.statusChanged(statuses)));
  }
}
