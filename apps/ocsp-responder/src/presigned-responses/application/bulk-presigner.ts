import { performance } from 'node:perf_hooks';
import type { ActiveIssuer, IssuerDirectory } from '../../issuers/application/issuer-directory.js';
import type { StatusBook } from '../../certificates/application/status-book.js';
import type { CertificateStatus } from '../../certificates/domain/certificate-status.js';
import type { ResponseSigner } from '../../ocsp/application/response-signer.js';
import { certStatus, successfulResponse } from '../../ocsp/domain/ocsp-response.js';
import { TAG, tlv, unsignedInteger } from '../../pki/der.js';
import type { BuiltResponses, ResponseTemplate } from '../../signing/signer.js';
import { etagOf, type CachedResponse, type PresignedResponseCache } from './presigned-response.cache.js';
import type { StoredResponse } from './presigned-response.store.js';
import type { Presigner } from './presigner.js';

/** A certificate whose stored SHA-1 answer is missing, from another status version or another profile. */
export interface MissingAnswer {
  serial: string;
  /** updatedAt of the status record in the database. */
  updatedAt: Date;
}

/** One keyset page: the certificates needing an answer, and where the next page starts (null: no more). */
export interface MissingPage {
  missing: MissingAnswer[];
  last: string | null;
}

/** The database side of bulk pre-signing: keyset pages of what needs an answer, and bulk writes. */
export abstract class BulkPresignStore {
  /**
   * Up to `limit` certificates of the issuer, in serial order after `after`, that have no stored
   * answer built from their current status under `profile` and valid past `validPast`.
   */
  abstract missingPage(issuerId: string, profile: string, validPast: Date, after: string | null, limit: number): Promise<MissingPage>;
  /** Stores the answers in one bulk write; a row never replaces one built from a newer status. */
  abstract copy(responses: StoredResponse[]): Promise<void>;
}

export interface BulkPresignOptions {
  /** Serials read per keyset page, and written per COPY. */
  pageSize?: number;
  /** Responses per message to a signing worker. */
  batchSize?: number;
  /** Pages signed or being written at once: what bounds the pipeline's memory. */
  pagesInFlight?: number;
}

export interface BulkPresignResult {
  signed: number;
  /** Changed again while in the pipeline (their own status change signs them). */
  skipped: number;
}

/**
 * Pre-signs a whole CA's answers as a streaming pipeline: keyset pages of the certificates lacking
 * a current answer are read from PostgreSQL, cut into batches that a signing worker turns into
 * complete OCSPResponses (CertID, tbsResponseData, signature, ETag — not only the signature), filed
 * into the in-memory cache, and written back with COPY a page at a time. At most `pagesInFlight`
 * pages exist at once, so memory stays bounded by the pipeline, not by the CA's size (apart from
 * the cache of answers itself, which the hot path needs).
 *
 * Why not the per-answer Presigner for this: at a million answers its per-answer promise, pooled
 * buffers and one upsert row each kept the event loop (and the heap) as the bound, at 0.07× the
 * signing ceiling. The per-answer path stays for live misses and small status changes.
 */
export class BulkPresigner {
  private readonly runs = new Map<string, { done: Promise<BulkPresignResult>; again: boolean }>();
  private readonly pageSize: number;
  private readonly batchSize: number;
  private readonly pagesInFlight: number;
  private closed = false;

  constructor(
    private readonly directory: IssuerDirectory,
    private readonly book: StatusBook,
    private readonly cache: PresignedResponseCache,
    private readonly signer: ResponseSigner,
    private readonly presigner: Presigner,
    private readonly store: BulkPresignStore,
    private readonly onError: (err: unknown) => void = () => undefined,
    private readonly log: (message: string) => void = () => undefined,
    options: BulkPresignOptions = {},
  ) {
    this.pageSize = options.pageSize ?? 5_000;
    this.batchSize = options.batchSize ?? 500;
    this.pagesInFlight = options.pagesInFlight ?? 3;
  }

  /** A pass over the issuer is running or queued. */
  running(issuerId: string): boolean {
    return this.runs.has(issuerId);
  }

  /**
   * Pre-signs every certificate of the issuer lacking a current answer. While a pass runs, another
   * request queues one more pass after it (the running one may already be past a changed serial).
   */
  presignIssuer(issuerId: string): Promise<BulkPresignResult> {
    const current = this.runs.get(issuerId);
    if (current) {
      current.again = true;
      return current.done;
    }
    const entry = { done: Promise.resolve({ signed: 0, skipped: 0 }), again: false };
    entry.done = (async () => {
      const total = { signed: 0, skipped: 0 };
      do {
        entry.again = false;
        const issuer = this.directory.getById(issuerId);
        if (!issuer || this.closed) break;
        const r = await this.pass(issuer);
        total.signed += r.signed;
        total.skipped += r.skipped;
      } while (entry.again && !this.closed);
      return total;
    })().finally(() => this.runs.delete(issuerId));
    this.runs.set(issuerId, entry);
    return entry.done;
  }

  /** Resolves once no pass is running or queued. */
  async idle(): Promise<void> {
    while (this.runs.size > 0) await Promise.allSettled([...this.runs.values()].map((r) => r.done));
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.idle();
  }

  private async pass(issuer: ActiveIssuer): Promise<BulkPresignResult> {
    const started = performance.now();
    const profile = this.signer.profileOf(issuer);
    const prefix = this.presigner.certIdPrefix(issuer);
    const result = { signed: 0, skipped: 0 };
    // A stored answer still valid counts as current; the refresh job re-signs those near nextUpdate.
    const validPast = new Date();
    const inFlight = new Set<Promise<void>>();
    let writes: Promise<void> = Promise.resolve();
    let next: Promise<MissingPage> | null = this.store.missingPage(issuer.issuer.id, profile, validPast, null, this.pageSize);
    let lastReport = started;
    while (next && !this.closed) {
      const { missing: page, last }: MissingPage = await next;
      // Read the next page while this one is signed.
      next = last === null ? null : this.store.missingPage(issuer.issuer.id, profile, validPast, last, this.pageSize);
      if (page.length === 0) continue;
      while (inFlight.size >= this.pagesInFlight) await Promise.race(inFlight);
      const work: Promise<void> = this.signPage(issuer, prefix, profile, page, result).then((rows) => {
        // Writes go one page at a time, in order; a page counts as in flight until it is stored.
        writes = writes.then(() => (rows.length ? this.store.copy(rows) : undefined));
        return writes;
      });
      const tracked: Promise<void> = work
        .catch((err: unknown) => this.onError(err))
        .finally(() => inFlight.delete(tracked));
      inFlight.add(tracked);
      if (performance.now() - lastReport >= 5_000) {
        lastReport = performance.now();
        this.log(`bulk pre-signing ${issuer.issuer.alias}: ${result.signed} signed (${Math.round((result.signed * 1000) / (lastReport - started))}/s)`);
      }
    }
    await Promise.all(inFlight);
    await writes.catch((err: unknown) => this.onError(err));
    if (result.signed >= 1_000) {
      const s = (performance.now() - started) / 1000;
      this.log(`bulk pre-signed ${result.signed} answers of ${issuer.issuer.alias} in ${s.toFixed(1)} s (${Math.round(result.signed / s)}/s)`);
    }
    return result;
  }

  /** Signs one page (in batches, spread over the workers), files the answers; returns the rows to store. */
  private async signPage(issuer: ActiveIssuer, prefix: Buffer, profile: string, page: MissingAnswer[], result: BulkPresignResult): Promise<StoredResponse[]> {
    const now = this.signer.clock();
    const { template, nextUpdate } = this.signer.bulkTemplate(issuer, prefix, now);
    // One set of date strings per page, shared by its answers (they share thisUpdate/nextUpdate).
    const lastModified = now.toUTCString();
    const expires = nextUpdate.toUTCString();
    const batches: Promise<StoredResponse[]>[] = [];
    for (let i = 0; i < page.length; i += this.batchSize) {
      const records: CertificateStatus[] = [];
      for (const row of page.slice(i, i + this.batchSize)) {
        const record = this.book.get(issuer.issuer.id, row.serial);
        // Not (yet, or no longer) the status the database row was read at: that change's own
        // listener signs it.
        if (!record || record.updatedAt.getTime() !== row.updatedAt.getTime()) result.skipped++;
        else records.push(record);
      }
      if (records.length === 0) continue;
      batches.push(
        this.build(issuer, template, records).then((built) => {
          const rows: StoredResponse[] = [];
          for (let j = 0; j < records.length; j++) {
            const record = records[j];
            // Changed while signing: this answer is already stale.
            if (this.book.get(issuer.issuer.id, record.serial) !== record) {
              result.skipped++;
              continue;
            }
            const entry: CachedResponse = {
              der: built.ders[j],
              issuerId: issuer.issuer.id,
              issuerAlias: issuer.issuer.alias,
              serial: record.serial,
              certIdDer: built.certIds[j],
              status: record.state === 'good' ? 'good' : 'revoked',
              producedAt: now,
              thisUpdate: now,
              nextUpdate,
              etag: built.etags[j],
              lastModified,
              expires,
              tag: `${issuer.issuer.id}:${record.serial}`,
            };
            this.cache.put(entry);
            result.signed++;
            rows.push({
              certIdDer: entry.certIdDer,
              issuerId: entry.issuerId,
              serial: entry.serial,
              der: entry.der,
              status: entry.status,
              producedAt: now,
              thisUpdate: now,
              nextUpdate,
              statusVersion: record.updatedAt,
              profile,
            });
          }
          return rows;
        }),
      );
    }
    return (await Promise.all(batches)).flat();
  }

  private async build(issuer: ActiveIssuer, template: ResponseTemplate, records: CertificateStatus[]): Promise<BuiltResponses> {
    const serials = records.map((r) => r.serial);
    const statuses = records.map((r) => {
      if (r.state === 'good') return null;
      const answer = this.signer.answerFor(issuer, r.serial);
      return certStatus(answer.status);
    });
    const started = performance.now();
    const built = (await issuer.signer.buildResponses(template, serials, statuses)) ?? (await this.buildOneByOne(issuer, template, serials, statuses));
    this.signer.bulkSigned(issuer, records.length, (performance.now() - started) / 1000);
    return built;
  }

  /**
   * For a signer that cannot build responses itself (an HSM adapter): the same bytes, assembled
   * here from the same template, one signature call each.
   */
  private async buildOneByOne(issuer: ActiveIssuer, t: ResponseTemplate, serials: string[], statuses: (Buffer | null)[]): Promise<BuiltResponses> {
    const certIds: Buffer[] = [];
    const ders = await Promise.all(
      serials.map(async (serial, i) => {
        const certId = tlv(TAG.SEQUENCE, t.certIdPrefix, unsignedInteger(Buffer.from(serial.length % 2 ? '0' + serial : serial, 'hex')));
        certIds[i] = certId;
        const single = tlv(TAG.SEQUENCE, certId, statuses[i] ?? Buffer.from([0x80, 0x00]), t.thisUpdate, t.nextUpdateField, t.singleExtensionsField);
        const tbs = tlv(TAG.SEQUENCE, t.responderId, t.producedAt, tlv(TAG.SEQUENCE, single), t.responseExtensionsField);
        const signature = await issuer.signer.sign(tbs, 'bulk');
        return successfulResponse(tbs, t.algorithmIdentifier, signature, t.certsField);
      }),
    );
    return { certIds, ders, etags: ders.map(etagOf) };
  }
}
