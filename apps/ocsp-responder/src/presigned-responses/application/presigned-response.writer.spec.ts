import type { StoredResponse } from './presigned-response.store.js';
import { InMemoryPresignedResponseStore } from '../../../test/support/in-memory-presigned-response.store.js';
import { PresignedResponseWriter } from './presigned-response.writer.js';

/** An in-memory store whose saves wait for `release()` and can be made to fail. */
class GatedStore extends InMemoryPresignedResponseStore {
  readonly batches: StoredResponse[][] = [];
  failNext = 0;
  private gate: Promise<void> | null = null;
  private open: (() => void) | null = null;

  hold(): void {
    this.gate = new Promise((resolve) => (this.open = resolve));
  }

  release(): void {
    this.open?.();
    this.gate = null;
  }

  override async save(responses: StoredResponse[]): Promise<void> {
    this.batches.push(responses);
    if (this.gate) await this.gate;
    if (this.failNext > 0) {
      this.failNext--;
      throw new Error('database unavailable');
    }
    await super.save(responses);
  }
}

const response = (n: number, status: StoredResponse['status'] = 'good'): StoredResponse => {
  const certIdDer = Buffer.alloc(4);
  certIdDer.writeUInt32BE(n);
  const at = new Date(1_700_000_000_000);
  return {
    certIdDer,
    issuerId: 'issuer',
    serial: n.toString(16),
    der: Buffer.from(status),
    status,
    producedAt: at,
    thisUpdate: at,
    nextUpdate: new Date(at.getTime() + 86_400_000),
    statusVersion: at,
    profile: 'p1',
  };
};

const storedStatus = (store: InMemoryPresignedResponseStore, n: number) => store.rows.get(response(n).certIdDer.toString('hex'))?.status;

describe('PresignedResponseWriter', () => {
  it('stores many responses in a few multi-row batches instead of one write each', async () => {
    const store = new GatedStore();
    const writer = new PresignedResponseWriter(store, { maxBatch: 500, delayMs: 5 });
    for (let i = 0; i < 1_200; i++) writer.write(response(i));
    await writer.idle();
    expect(store.rows.size).toBe(1_200);
    expect(store.batches.length).toBeLessThanOrEqual(4);
    expect(Math.max(...store.batches.map((b) => b.length))).toBeLessThanOrEqual(500);
  });

  it('keeps only the newest response of a CertID queued twice', async () => {
    const store = new GatedStore();
    const writer = new PresignedResponseWriter(store, { delayMs: 5 });
    writer.write(response(1, 'good'));
    writer.write(response(1, 'revoked'));
    await writer.idle();
    expect(store.batches).toHaveLength(1);
    expect(store.batches[0]).toHaveLength(1);
    expect(storedStatus(store, 1)).toBe('revoked');
  });

  it('writes a response queued during a flush after that flush, so the newer one is what stays', async () => {
    const store = new GatedStore();
    const writer = new PresignedResponseWriter(store, { delayMs: 1 });
    store.hold();
    writer.write(response(7, 'good'));
    await new Promise((r) => setTimeout(r, 20)); // the 'good' batch is now in flight, held
    writer.write(response(7, 'revoked'));
    store.release();
    await writer.idle();
    expect(store.batches.map((b) => b[0].status)).toEqual(['good', 'revoked']);
    expect(storedStatus(store, 7)).toBe('revoked');
  });

  it('retries a failed batch without letting it overwrite a newer response of the same CertID', async () => {
    const store = new GatedStore();
    const errors: unknown[] = [];
    const writer = new PresignedResponseWriter(store, { delayMs: 1, retryMs: 5 }, (err) => errors.push(err));
    store.failNext = 1;
    store.hold();
    writer.write(response(1, 'good'));
    writer.write(response(2, 'good'));
    await new Promise((r) => setTimeout(r, 20));
    writer.write(response(2, 'revoked')); // arrives while the failing batch is in flight
    store.release();
    await writer.idle();
    expect(errors).toHaveLength(1);
    expect(storedStatus(store, 1)).toBe('good');
    expect(storedStatus(store, 2)).toBe('revoked');
  });

  it('writes what is still queued when closed', async () => {
    const store = new GatedStore();
    const writer = new PresignedResponseWriter(store, { delayMs: 60_000 });
    writer.write(response(3));
    expect(store.rows.size).toBe(0);
    await writer.close();
    expect(storedStatus(store, 3)).toBe('good');
    expect(writer.backlog).toBe(0);
  });
});
