import { sign as cryptoSign, type KeyObject } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { BuiltResponses, ResponseTemplate, SigningKind } from './signer.js';

// Plain CommonJS evaluated in each worker, so the pool runs the same under tsc output and under
// Jest (which cannot hand a .ts file to a Worker).
const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const { sign, createHash } = require('node:crypto');
const keys = new Map();
// DER length and TLV, as in src/pki/der.ts (this source cannot import it): the bulk build below
// concatenates pieces the main thread pre-encodes with der.ts, so only these two are repeated.
function len(n) {
  if (n < 0x80) return [n];
  const b = [];
  for (let l = n; l > 0; l = Math.floor(l / 256)) b.unshift(l & 0xff);
  return [0x80 | b.length, ...b];
}
function tlv(tag, parts) {
  let n = 0;
  for (const p of parts) n += p.length;
  return Buffer.concat([Buffer.from([tag, ...len(n)]), ...parts]);
}
function integer(hex) {
  let m = Buffer.from(hex.length % 2 ? '0' + hex : hex, 'hex');
  let i = 0;
  while (i < m.length - 1 && m[i] === 0) i++;
  m = m.subarray(i);
  if (m.length === 0) m = Buffer.from([0]);
  else if (m[0] & 0x80) m = Buffer.concat([Buffer.from([0]), m]);
  return tlv(0x02, [m]);
}
const GOOD = Buffer.from([0x80, 0x00]);
const SUCCESSFUL = Buffer.from([0x0a, 0x01, 0x00]);
// A whole batch of single-certificate OCSPResponses (RFC 6960 §4.2.1, the RFC 5019 profile):
// CertID, SingleResponse, tbsResponseData, signature, BasicOCSPResponse, OCSPResponse and the
// ETag, all here, so the main thread only files the results. One transferred buffer back.
function build(m) {
  const t = m.template;
  const key = keys.get(t.keyId);
  if (!key) throw new Error('no key ' + t.keyId);
  const parts = [];
  const etags = [];
  const offsets = new Uint32Array(m.serials.length * 2);
  let total = 0;
  for (let i = 0; i < m.serials.length; i++) {
    const certId = tlv(0x30, [t.certIdPrefix, integer(m.serials[i])]);
    const single = tlv(0x30, [certId, m.statuses[i] ? Buffer.from(m.statuses[i]) : GOOD, t.thisUpdate, t.nextUpdateField, t.singleExtensionsField]);
    const tbs = tlv(0x30, [t.responderId, t.producedAt, tlv(0x30, [single]), t.responseExtensionsField]);
    const sig = sign(t.hash, tbs, t.ecdsa ? { key, dsaEncoding: 'der' } : key);
    const basic = tlv(0x30, [tbs, t.algorithmIdentifier, tlv(0x03, [Buffer.from([0]), sig]), t.certsField]);
    const der = tlv(0x30, [SUCCESSFUL, tlv(0xa0, [tlv(0x30, [t.basicOid, tlv(0x04, [basic])])])]);
    etags.push('"' + createHash('sha1').update(der).digest('base64url') + '"');
    parts.push(certId, der);
    total += certId.length + der.length;
    offsets[i * 2] = total - der.length;
    offsets[i * 2 + 1] = total;
  }
  const out = Buffer.allocUnsafeSlow(total);
  let pos = 0;
  for (const p of parts) pos += p.copy(out, pos);
  return { buf: out.buffer, offsets, etags };
}
parentPort.on('message', (m) => {
  if (m.t === 'key') { keys.set(m.id, m.key); return; }
  if (m.t === 'build') {
    try {
      const r = build(m);
      parentPort.postMessage({ t: 'built', n: m.n, count: m.serials.length, ...r }, [r.buf]);
    } catch (e) {
      parentPort.postMessage({ t: 'built', n: m.n, count: m.serials.length, err: String(e && e.message || e) });
    }
    return;
  }
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

interface BuiltMessage {
  t: 'built';
  n: number;
  count: number;
  buf?: ArrayBuffer;
  offsets?: Uint32Array;
  etags?: string[];
  err?: string;
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
  private readonly pendingBuilds = new Map<number, { resolve: (r: BuiltResponses) => void; reject: (err: Error) => void }>();
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
    worker.on('message', (results: { n: number; sig?: Uint8Array; err?: string }[] | BuiltMessage) => {
      if (!Array.isArray(results)) return this.built(slot, results);
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

  /**
   * Builds and signs whole responses on a worker thread (bulk pre-signing): null when this pool
   * runs no worker threads (OCSP_SIGNING_WORKERS=0) — the caller then signs one by one.
   * `statuses[i]` is the DER CertStatus of serial i, null for good.
   */
  buildResponses(
    keyId: string,
    hash: string,
    ecdsa: boolean,
    template: ResponseTemplate,
    serials: string[],
    statuses: (Buffer | null)[],
  ): Promise<BuiltResponses> | null {
    if (this.closed) return Promise.reject(new Error('signing pool is closed'));
    if (this.lazyBulkWorkers > 0) {
      for (let i = 0; i < this.lazyBulkWorkers; i++) this.startWorker();
      this.lazyBulkWorkers = 0;
    }
    if (this.slots.length === 0) return null;
    let best = this.slots[0];
    for (const slot of this.slots) if (slot.inFlight < best.inFlight) best = slot;
    const n = ++this.seq;
    best.inFlight += serials.length;
    best.worker.postMessage({ t: 'build', n, serials, statuses, template: { ...template, keyId, hash, ecdsa } });
    return new Promise((resolve, reject) => this.pendingBuilds.set(n, { resolve, reject }));
  }

  private built(slot: Slot, m: BuiltMessage): void {
    slot.inFlight -= m.count;
    const p = this.pendingBuilds.get(m.n);
    if (!p) return;
    this.pendingBuilds.delete(m.n);
    if (m.err !== undefined || !m.buf || !m.offsets || !m.etags) return p.reject(new Error(m.err ?? 'worker returned no responses'));
    // Views into the one transferred buffer: a million cached answers are a few hundred
    // buffers, not a million slices pinning 8 KiB pool slabs each.
    const certIds: Buffer[] = [];
    const ders: Buffer[] = [];
    let start = 0;
    for (let i = 0; i < m.count; i++) {
      const derStart = m.offsets[i * 2];
      const end = m.offsets[i * 2 + 1];
      certIds.push(Buffer.from(m.buf, start, derStart - start));
      ders.push(Buffer.from(m.buf, derStart, end - derStart));
      start = end;
    }
    p.resolve({ certIds, ders, etags: m.etags });
  }

  async close(): Promise<void> {
    this.closed = true;
    this.failAll(new Error('signing pool closed'));
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
  }

  private failAll(err: Error): void {
    for (const p of this.pending.values()) p.reject(err);
    this.pending.clear();
    for (const p of this.pendingBuilds.values()) p.reject(err);
    this.pendingBuilds.clear();
  }
}
