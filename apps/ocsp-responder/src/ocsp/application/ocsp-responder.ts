import { createHash } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { encodeOid, octetString, TAG, tlv, unsignedInteger } from '../../pki/der.js';
import { OID } from '../../pki/certificate-info.js';
import { lookupKey } from '../../issuers/domain/issuer.js';
import type { ActiveIssuer, IssuerDirectory } from '../../issuers/application/issuer-directory.js';
import type { StatusBook } from '../../certificates/application/status-book.js';
import type { CertificateStatus } from '../../certificates/domain/certificate-status.js';
import { REVOCATION_REASONS } from '../../certificates/domain/revocation-reason.js';
import { MalformedOcspRequest, parseOcspRequest, type RequestedCertId } from '../domain/ocsp-request.js';
import {
  archiveCutoffExtension,
  errorResponse,
  EXTENDED_REVOKE_EXTENSION,
  singleResponse,
  successfulResponse,
  tbsResponseData,
  type OcspResponseStatusName,
  type SingleResponseInput,
  type SingleStatus,
} from '../domain/ocsp-response.js';
import type { OcspPolicy } from './ocsp-policy.js';
import { cachedResponse, ResponseCache, type CachedResponse } from './response-cache.js';
import type { OcspMetrics } from './ocsp-metrics.js';
import { toStored } from './presigned-response.store.js';
import type { PresignedResponseWriter } from './presigned-response.writer.js';

export interface OcspAnswer {
  der: Buffer;
  /** `good`/`revoked`/`unknown`/`mixed` for successful answers, else the OCSPResponseStatus name. */
  outcome: string;
  /** Set when the answer may be cached by HTTP intermediaries (RFC 5019 headers). */
  cacheable: CachedResponse | null;
}

const MALFORMED = errorResponse('malformedRequest');
const UNAUTHORIZED = errorResponse('unauthorized');
const TRY_LATER = errorResponse('tryLater');
const INTERNAL = errorResponse('internalError');
const EPOCH = new Date(0);

const errorAnswer = (outcome: Exclude<OcspResponseStatusName, 'successful'>): OcspAnswer => ({
  der: { malformedRequest: MALFORMED, unauthorized: UNAUTHORIZED, tryLater: TRY_LATER, internalError: INTERNAL, sigRequired: INTERNAL }[outcome],
  outcome,
  cacheable: null,
});

/**
 * Answers OCSP requests. The common case — one CertID, no nonce to echo — is a synchronous
 * map hit on a pre-signed DER; everything else is signed on the signing pool.
 */
export class OcspResponder {
  private readonly inflight = new Map<string, Promise<CachedResponse | null>>();
  /**
   * Signed answers for serials we hold no record of (unknown, or revoked under the non-issued
   * policy), kept until their short nextUpdate: clients re-asking about the same certificate do not
   * cost a signature each time. Bounded, so a flood of random serials cannot fill memory; it still
   * costs one signature per new serial, as in every responder (limit such clients at the edge).
   */
  private readonly nonIssued = new ResponseCache(10_000);

  constructor(
    private readonly directory: IssuerDirectory,
    private readonly book: StatusBook,
    private readonly cache: ResponseCache,
    private readonly policy: OcspPolicy,
    private readonly metrics: OcspMetrics,
    private readonly storeWriter: PresignedResponseWriter,
    private readonly clock: () => Date = () => new Date(),
    private readonly onError: (err: unknown) => void = () => undefined,
  ) {}

  /** Returns synchronously on a cache hit or an error answer; a Promise when signing is needed. */
  respond(der: Buffer, alias?: string): OcspAnswer | Promise<OcspAnswer> {
    if (!this.book.ready) return this.count(errorAnswer('tryLater'), alias);
    let request;
    try {
      request = parseOcspRequest(der, this.policy.maxCertIds);
    } catch (err) {
      if (err instanceof MalformedOcspRequest) return this.count(errorAnswer('malformedRequest'), alias);
      throw err;
    }
    const echoNonce = request.nonceExtension !== null && this.policy.nonce === 'echo';
    if (!echoNonce && request.certIds.length === 1) {
      const hit = this.cache.get(request.certIds[0].key) ?? this.nonIssued.peek(request.certIds[0].key);
      const served = hit !== undefined && (alias === undefined || hit.issuerAlias === alias) && hit.nextUpdate.getTime() > Date.now();
      this.metrics.cacheLookup(served);
      if (served) {
        this.metrics.response(hit.status, hit.issuerAlias);
        return { der: hit.der, outcome: hit.status, cacheable: hit };
      }
    }
    let issuer: ActiveIssuer | undefined;
    for (const certId of request.certIds) {
      const found = this.directory.byLookupKey(lookupKey(certId.hashAlgorithm, certId.issuerNameHash, certId.issuerKeyHash));
      // One signature covers the whole response, so every CertID must belong to one issuer we serve.
      if (!found || (alias !== undefined && found.issuer.alias !== alias) || (issuer && issuer !== found))
        return this.count(errorAnswer('unauthorized'), alias);
      issuer = found;
    }
    return this.answer(issuer!, request.certIds, echoNonce ? request.nonceExtension : null).catch((err: unknown) => {
      this.onError(err);
      return this.count(errorAnswer('internalError'), issuer!.issuer.alias);
    });
  }

  private async answer(issuer: ActiveIssuer, certIds: RequestedCertId[], nonceExtension: Buffer | null): Promise<OcspAnswer> {
    const alias = issuer.issuer.alias;
    if (!nonceExtension && certIds.length === 1) {
      const entry = await this.presign(issuer, certIds[0].serial, Buffer.from(certIds[0].der));
      if (entry) {
        this.metrics.response(entry.status, alias);
        return { der: entry.der, outcome: entry.status, cacheable: entry };
      }
    }
    const now = this.clock();
    const extensions: Buffer[] = [];
    if (nonceExtension) extensions.push(nonceExtension);
    const statuses = certIds.map((c) => this.singleStatus(issuer, c.serial));
    if (statuses.some((s) => s.nonIssued) && this.policy.nonIssued === 'revoked') extensions.push(EXTENDED_REVOKE_EXTENSION);
    const singles = certIds.map((c, i) => ({
      certIdDer: c.der,
      status: statuses[i].status,
      thisUpdate: now,
      nextUpdate: new Date(now.getTime() + 1000 * (statuses[i].record ? this.policy.validitySeconds : this.policy.unknownValiditySeconds)),
      extensions: this.singleExtensions(now),
    }));
    const der = await this.sign(issuer, singles, extensions, now, 'live');
    const kinds = new Set(statuses.map((s) => s.status.kind));
    const outcome = kinds.size === 1 ? [...kinds][0] : 'mixed';
    this.metrics.response(outcome, alias);
    return { der, outcome, cacheable: null };
  }

  /**
   * Signs and caches the response for one certificate under one CertID. Only certificates we
   * hold a record of are cached (random serials must not fill memory); if the status changed
   * while signing, the result is discarded — a revocation must never be overwritten by a
   * response signed from the older status.
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
    const now = this.clock();
    const { status, record, nonIssued } = this.singleStatus(issuer, serial);
    const validity = record ? this.policy.validitySeconds : this.policy.unknownValiditySeconds;
    const nextUpdate = new Date(now.getTime() + validity * 1000);
    const extensions = nonIssued && this.policy.nonIssued === 'revoked' ? [EXTENDED_REVOKE_EXTENSION] : [];
    const single = { certIdDer, status, thisUpdate: now, nextUpdate, extensions: this.singleExtensions(now) };
    const der = await this.sign(issuer, [single], extensions, now, record ? 'presign' : 'live');
    const entry = cachedResponse({
      der,
      issuerId: issuer.issuer.id,
      issuerAlias: issuer.issuer.alias,
      serial,
      certIdDer,
      status: status.kind,
      producedAt: now,
      thisUpdate: now,
      nextUpdate,
    });
    // The status changed while signing (evict ran in between): this answer is already stale.
    if (this.book.get(issuer.issuer.id, serial) !== record) return null;
    if (!record) {
      this.nonIssued.put(entry);
      return entry;
    }
    this.cache.put(entry);
    this.storeWriter.write(toStored(entry, record.updatedAt));
    return entry;
  }

  /**
   * Drops every cached response of a certificate (synchronously: call it in the same tick as the
   * status book update) and returns what to re-sign: each cached variant plus the SHA-1 CertID.
   */
  evict(issuerId: string, serial: string): { issuer: ActiveIssuer; serial: string; certIds: Buffer[] } | null {
    const issuer = this.directory.getById(issuerId);
    if (!issuer) return null;
    const certIds = [...this.cache.evict(issuerId, serial), ...this.nonIssued.evict(issuerId, serial)];
    const sha1 = this.certIdFor(issuer, serial);
    if (!certIds.some((v) => v.equals(sha1))) certIds.push(sha1);
    return { issuer, serial, certIds };
  }

  async resign(job: { issuer: ActiveIssuer; serial: string; certIds: Buffer[] }): Promise<void> {
    await Promise.all(job.certIds.map((c) => this.presign(job.issuer, job.serial, c)));
  }

  /** The SHA-1 CertID (RFC 5019 profile; what most clients send) of a certificate of `issuer`. */
  certIdFor(issuer: ActiveIssuer, serial: string): Buffer {
    const { sha1NameHash, sha1KeyHash } = this.sha1Hashes(issuer);
    return tlv(
      TAG.SEQUENCE,
      tlv(TAG.SEQUENCE, encodeOid(OID.sha1), Buffer.from([TAG.NULL, 0])),
      octetString(sha1NameHash),
      octetString(sha1KeyHash),
      unsignedInteger(Buffer.from(serial.length % 2 ? '0' + serial : serial, 'hex')),
    );
  }

  private readonly hashCache = new WeakMap<ActiveIssuer, { sha1NameHash: Buffer; sha1KeyHash: Buffer }>();
  private sha1Hashes(issuer: ActiveIssuer) {
    let h = this.hashCache.get(issuer);
    if (!h) {
      const key = lookupKeyParts(issuer);
      h = { sha1NameHash: key.name, sha1KeyHash: key.key };
      this.hashCache.set(issuer, h);
    }
    return h;
  }

  private singleStatus(issuer: ActiveIssuer, serial: string): { status: SingleStatus; record: CertificateStatus | undefined; nonIssued: boolean } {
    const record = this.book.get(issuer.issuer.id, serial);
    if (!record) {
      if (this.policy.nonIssued === 'revoked')
        return { status: { kind: 'revoked', revokedAt: EPOCH, reason: REVOCATION_REASONS.certificateHold }, record, nonIssued: true };
      return { status: { kind: 'unknown' }, record, nonIssued: true };
    }
    if (record.state === 'good') return { status: { kind: 'good' }, record, nonIssued: false };
    return { status: { kind: 'revoked', revokedAt: record.revokedAt ?? EPOCH, reason: record.reason }, record, nonIssued: false };
  }

  /** The archive cutoff, when the policy announces one (producedAt − retention). */
  private singleExtensions(producedAt: Date): Buffer[] {
    const days = this.policy.archiveRetentionDays;
    return days === null ? [] : [archiveCutoffExtension(new Date(producedAt.getTime() - days * 86_400_000))];
  }

  private async sign(
    issuer: ActiveIssuer,
    singles: SingleResponseInput[],
    extensions: Buffer[],
    producedAt: Date,
    kind: 'live' | 'presign',
  ): Promise<Buffer> {
    const tbs = tbsResponseData(issuer.responderId, producedAt, singles.map(singleResponse), extensions);
    const started = performance.now();
    const signature = await issuer.signer.sign(tbs);
    this.metrics.signed((performance.now() - started) / 1000, issuer.issuer.alias, kind);
    return successfulResponse(tbs, issuer.signer.algorithmIdentifier, signature, issuer.certsField);
  }

  private count(answer: OcspAnswer, alias: string | undefined): OcspAnswer {
    // The alias comes from the request path: only a served issuer's becomes a metric label, so
    // requests to made-up aliases cannot grow the label set without bound.
    this.metrics.response(answer.outcome, alias !== undefined && this.directory.get(alias) ? alias : '-');
    return answer;
  }
}

function lookupKeyParts(issuer: ActiveIssuer): { name: Buffer; key: Buffer } {
  return {
    name: createHash('sha1').update(issuer.ca.subjectDer).digest(),
    key: createHash('sha1').update(issuer.ca.publicKeyBits).digest(),
  };
}
