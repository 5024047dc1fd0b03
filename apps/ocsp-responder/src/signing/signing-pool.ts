import { sign as cryptoSign, type KeyObject } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { SigningKind } from './signer.js';

// Plain CommonJS evaluated in each worker, so the pool runs the same under tsc output and under
// Jest (which cannot hand a .ts file to a Worker).
const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const { sign } = require('node:crypto');
const keys = new Map();
parentPort.on('message', (m) => {
  if (m.t === 'key') { keys.set(m.id, m.key); return; }
  const out = [];
  for (const job of m.jobs) {
    try {
      const key = keys.get(job.id);
      out.push({ n: job.n, sig: sign(job.hash, job.data, job.ecdsa ? { key, dsaEncoding: 'der' } : key) });
    } catch (e) {
      out.push({ n: job.n, err: String(e && e.message || e) });
    }
  }
  parentPort.postMessage(out);
});
`;

interface Pending {
  resolve: (sig: Buffer) => void;
  reject: (err: Error) => void;
}

interface Job {
  n: number;
  id: string;
  hash: string;
  ecdsa: boolean;
  data: Buffer;
}

interface Slot {
  worker: Worker;
  inFlight: number;
  /** Jobs collected during this turn of the event loop, sent as one message. */
  queued: Job[];
}

/** How the pool is sized: a fixed number of worker threads for everything, or the default split. */
export type SigningPoolSize = number | 'auto';

/**
 * Worker threads for bulk signing when OCSP_SIGNING_WORKERS is not set: two (or one per core on a
 * smaller machine). Bulk pre-signing a new CA keeps them busy while the event loop builds the
 * answers and serves requests; one more thread than cores only adds switching.
 */
export function defaultBulkWorkers(): number {
  return Math.max(1, Math.min(2, availableParallelism()));
}

/**
 * Computes signatures off the event loop, so live signing (nonce-echo requests) and bulk
 * pre-signing never block the loop that serves the pre-signed hot path.
 *
 * - `'auto'` (OCSP_SIGNING_WORKERS unset, the default): live signatures on node:crypto's callback
 *   API (libuv's thread pool: the lowest latency for one signature at a time, measured faster on
 *   the bench box), bulk signatures (pre-signing, re-signing) on `defaultBulkWorkers()` worker
 *   threads, started on the first bulk signature — a responder that never pre-signs never starts one.
 * - `0`: everything on libuv's thread pool (no worker thread at all).
 * - `N`: everything on N worker threads holding the keys, fed one batched message per event-loop turn.
 */
export class SigningPool {
  private readonly slots: Slot[] = [];
  private readonly pending = new Map<number, Pending>();
  private readonly keys = new Map<string, KeyObject>();
  private seq = 0;
  private closed = false;
  /** Worker threads still to start on the first bulk signature (auto mode). */
  private lazyBulkWorkers = 0;
  /** Live signatures go to the workers too (a fixed size N > 0). */
  private readonly liveOnWorkers: boolean;

  constructor(size: SigningPoolSize) {
    if (size === 'auto') {
      this.lazyBulkWorkers = defaultBulkWorkers();
      this.liveOnWorkers = false;
    } else {
      for (let i = 0; i < size; i++) this.startWorker();
      this.liveOnWorkers = size > 0;
    }
  }

  private startWorker(): void {
    const worker = new Worker(WORKER_SOURCE, { eval: true });
    worker.unref();
    const slot: Slot = { worker, inFlight: 0, queued: [] };
    worker.on('message', (results: { n: number; sig?: Uint8Array; err?: string }[]) => {
      for (const m of results) {
        slot.inFlight--;
        const p = this.pending.get(m.n);
        if (!p) continue;
        this.pending.delete(m.n);
        if (m.err !== undefined) p.reject(new Error(m.err));
        else p.resolve(Buffer.from(m.sig!.buffer, m.sig!.byteOffset, m.sig!.byteLength));
      }
    });
    worker.on('error', (err) => this.failAll(err));
    for (const [id, key] of this.keys) worker.postMessage({ t: 'key', id, key });
    this.slots.push(slot);
  }

  /** Worker threads running now. */
  get size(): number {
    return this.slots.length;
  }

  register(id: string, key: KeyObject): void {
    this.keys.set(id, key);
    for (const slot of this.slots) slot.worker.postMessage({ t: 'key', id, key });
  }

  sign(id: string, hash: string, ecdsa: boolean, data: Buffer, kind: SigningKind = 'live'): Promise<Buffer> {
    if (this.closed) return Promise.reject(new Error('signing pool is closed'));
    if (kind === 'bulk' && this.lazyBulkWorkers > 0) {
      for (let i = 0; i < this.lazyBulkWorkers; i++) this.startWorker();
      this.lazyBulkWorkers = 0;
    }
    const onWorkers = this.slots.length > 0 && (kind === 'bulk' || this.liveOnWorkers);
    if (!onWorkers) {
      const key = this.keys.get(id);
      if (!key) return Promise.reject(new Error(`no key ${id}`));
      return new Promise((resolve, reject) =>
        // The callback form runs on libuv's thread pool: still off the event loop.
        cryptoSign(hash, data, ecdsa ? { key, dsaEncoding: 'der' } : key, (err, sig) => (err ? reject(err) : resolve(sig))),
      );
    }
    let best = this.slots[0];
    for (const slot of this.slots) if (slot.inFlight < best.inFlight) best = slot;
    const n = ++this.seq;
    best.inFlight++;
    // Under load many requests arrive in one event-loop turn: one message per worker per turn
    // instead of one per signature (postMessage and its structured clone cost as much as an
    // ECDSA P-256 signature).
    if (best.queued.length === 0) {
      const slot = best;
      setImmediate(() => {
        const jobs = slot.queued;
        slot.queued = [];
        if (!this.closed) slot.worker.postMessage({ t: 'sign', jobs });
      });
    }
    best.queued.push({ n, id, hash, ecdsa, data });
    return new Promise<Buffer>((resolve, reject) => this.pending.set(n, { resolve, reject }));
  }

  async close(): Promise<void> {
    this.closed = true;
    this.failAll(new Error('signing pool closed'));
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
  }

  private failAll(err: Error): void {
    for (const p of this.pending.values()) p.reject(err);
    this.pending.clear();
  }
}
