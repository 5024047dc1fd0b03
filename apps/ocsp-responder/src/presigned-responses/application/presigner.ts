import { createHash } from 'node:crypto';
import { encodeOid, octetString, TAG, tlv, unsignedInteger } from '../../pki/der.js';
import { OID } from '../../pki/certificate-info.js';
import type { ActiveIssuer, IssuerDirectory } from '../../issuers/application/issuer-directory.js';
import type { StatusBook } from '../../certificates/application/status-book.js';
import type { ResponseSigner } from '../../ocsp/application/response-signer.js';
import { cachedResponse, PresignedResponseCache, type CachedResponse } from './presigned-response.cache.js';
import { toStored } from './presigned-response.store.js';
import type { PresignedResponseWriter } from './presigned-response.writer.js';

export interface ResignJob {
  issuer: ActiveIssuer;
  serial: string;
  certIds: Buffer[];
  /** The SHA-1 CertID (also in certIds). */
  sha1: Buffer;
  /** Some answer of this certificate was cached when evicted (so a cache tier may hold it too). */
  hadAnswers: boolean;
}

/**
 * The pre-signed answers: one signed response per (certificate, CertID form) held in memory,
 * written behind to PostgreSQL, evicted in the tick a status changes and signed again.
 */
export class Presigner {
  private readonly inflight = new Map<string, Promise<CachedResponse | null>>();
  /**
   * Signed answers for serials we hold no record of (unknown, or revoked under the non-issued
   * policy), kept until their short nextUpdate: clients re-asking about the same certificate do not
   * cost a signature each time. Bounded, so a flood of random serials cannot fill memory.
   */
  private readonly nonIssued = new PresignedResponseCache(10_000);
  private readonly hashCache = new WeakMap<ActiveIssuer, Buffer>();

  constructor(
    private readonly directory: IssuerDirectory,
    private readonly book: StatusBook,
    readonly cache: PresignedResponseCache,
    private readonly signer: ResponseSigner,
    private readonly storeWriter: PresignedResponseWriter,
  ) {}

  /** The pre-signed answer for this exact CertID (as a latin1 key), if any. */
  lookup(key: string): CachedResponse | undefined {
    return this.cache.get(key) ?? this.nonIssued.peek(key);
  }

  /**
   * Signs and caches the response for one certificate under one CertID. Only certificates we
   * hold a record of are kept durably (random serials must not fill the store); if the status
   * changed while signing, the result is discarded — a revocation must never be overwritten by
   * a response signed from the older status.
   */
  presign(issuer: ActiveIssuer, serial: string, certIdDer: Buffer): Promise<CachedResponse | null> {
    const key = certIdDer.toString('latin1');
    const running = this.inflight.get(key);
    if (running) return running;
    const work = this.doPresign(issuer, serial, certIdDer).finally(() => this.inflight.delete(key));
    this.inflight.set(key, work);
    return work;
  }

  private async doPresign(issuer: ActiveIssuer, serial: string, certIdDer: Buffer): Promise<CachedResponse | null> {
    const now = this.signer.clock();
    const answer = this.signer.answerFor(issuer, serial);
    const nextUpdate = new Date(now.getTime() + this.signer.validitySeconds(answer) * 1000);
    const single = { certIdDer, status: answer.status, thisUpdate: now, nextUpdate, extensions: this.signer.singleExtensions(now) };
    const der = await this.signer.sign(issuer, [single], this.signer.responseExtensions([answer]), now, answer.record ? 'presign' : 'live');
    const entry = cachedResponse({
      der,
      issuerId: issuer.issuer.id,
      issuerAlias: issuer.issuer.alias,
      serial,
      certIdDer,
      status: answer.status.kind,
      producedAt: now,
      thisUpdate: now,
      nextUpdate,
    });
    // The status changed while signing (evict ran in between): this answer is already stale.
    if (this.book.get(issuer.issuer.id, serial) !== answer.record) return null;
    if (!answer.record) {
      this.nonIssued.put(entry);
      return entry;
    }
    this.cache.put(entry);
    this.storeWriter.write(toStored(entry, answer.record.updatedAt, this.signer.profileOf(issuer)));
    return entry;
  }

  /**
   * Drops every cached response of a certificate (synchronously: call it in the same tick as the
   * status book update) and returns what to re-sign: each cached variant plus the SHA-1 CertID.
   */
  evict(issuerId: string, serial: string): ResignJob | null {
    const issuer = this.directory.getById(issuerId);
    if (!issuer) return null;
    const certIds = [...this.cache.evict(issuerId, serial), ...this.nonIssued.evict(issuerId, serial)];
    const hadAnswers = certIds.length > 0;
    const sha1 = this.certIdFor(issuer, serial);
    if (!certIds.some((v) => v.equals(sha1))) certIds.push(sha1);
    return { issuer, serial, certIds, sha1, hadAnswers };
  }

  async resign(job: ResignJob): Promise<void> {
    await Promise.all(job.certIds.map((c) => this.presign(job.issuer, job.serial, c)));
  }

  /** The SHA-1 CertID (RFC 5019 profile; what most clients send) of a certificate of `issuer`. */
  certIdFor(issuer: ActiveIssuer, serial: string): Buffer {
    return tlv(TAG.SEQUENCE, this.certIdPrefix(issuer), unsignedInteger(Buffer.from(serial.length % 2 ? '0' + serial : serial, 'hex')));
  }

  /** The SHA-1 CertID's content before the serial: hash algorithm, issuerNameHash, issuerKeyHash. */
  certIdPrefix(issuer: ActiveIssuer): Buffer {
    let h = this.hashCache.get(issuer);
    if (!h) {
      h = Buffer.concat([
        tlv(TAG.SEQUENCE, encodeOid(OID.sha1), Buffer.from([TAG.NULL, 0])),
        octetString(createHash('sha1').update(issuer.ca.subjectDer).digest()),
        octetString(createHash('sha1').update(issuer.ca.publicKeyBits).digest()),
      ]);
      this.hashCache.set(issuer, h);
    }
    return h;
  }
}
