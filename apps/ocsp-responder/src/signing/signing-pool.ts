import { sign as cryptoSign, type KeyObject } from 'node:crypto';
import { Worker } from 'node:worker_threads';

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

/**
 * Computes signatures off the event loop, so live signing (nonce-echo requests, bulk re-signing)
 * never blocks the loop that serves the pre-signed hot path. Size 0 (the default): node:crypto's
 * callback API on libuv's thread pool. Size N: N worker threads holding the keys, fed one batched
 * message per event-loop turn.
 */
export class SigningPool {
  private readonly slots: Slot[] = [];
  private readonly pending = new Map<number, Pending>();
  private readonly keys = new Map<string, KeyObject>();
  private seq = 0;
  private closed = false;

  constructor(size: number) {
    for (let i = 0; i < size; i++) {
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
      this.slots.push(slot);
    }
  }

  get size(): number {
    return this.slots.length;
  }

  register(id: string, key: KeyObject): void {
    this.keys.set(id, key);
    for (const slot of this.slots) slot.worker.postMessage({ t: 'key', id, key });
  }

  sign(id: string, hash: string, ecdsa: boolean, data: Buffer): Promise<Buffer> {
    if (this.closed) return Promise.reject(new Error('signing pool is closed'));
    if (this.slots.length === 0) {
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
