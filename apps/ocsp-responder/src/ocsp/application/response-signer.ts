import { createHash } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { ActiveIssuer } from '../../issuers/application/issuer-directory.js';
import type { StatusBook } from '../../certificates/application/status-book.js';
import type { CertificateStatus } from '../../certificates/domain/certificate-status.js';
import { REVOCATION_REASONS } from '../../certificates/domain/revocation-reason.js';
import { ctx, generalizedTime, TAG, tlv } from '../../pki/der.js';
import type { ResponseTemplate } from '../../signing/signer.js';
import {
  archiveCutoffExtension,
  BASIC_OID,
  EXTENDED_REVOKE_EXTENSION,
  singleResponse,
  successfulResponse,
  tbsResponseData,
  type SingleResponseInput,
  type SingleStatus,
} from '../domain/ocsp-response.js';
import type { OcspPolicy } from './ocsp-policy.js';
import type { OcspMetrics } from './ocsp-metrics.js';

const EPOCH = new Date(0);

export interface CertificateAnswer {
  status: SingleStatus;
  /** The status record the answer is built from; undefined for a serial the issuer never reported. */
  record: CertificateStatus | undefined;
  nonIssued: boolean;
}

/**
 * Builds and signs BasicOCSPResponses under the responder's policy — for the pre-signed answers
 * and for live (nonce, multi-CertID) answers alike, so both always say the same thing.
 */
export class ResponseSigner {
  private readonly profiles = new WeakMap<ActiveIssuer, string>();

  constructor(
    private readonly book: StatusBook,
    private readonly policy: OcspPolicy,
    private readonly metrics: OcspMetrics,
    readonly clock: () => Date = () => new Date(),
  ) {}

  answerFor(issuer: ActiveIssuer, serial: string): CertificateAnswer {
    const record = this.book.get(issuer.issuer.id, serial);
    if (!record) {
      if (this.policy.nonIssued === 'revoked')
        return { status: { kind: 'revoked', revokedAt: EPOCH, reason: REVOCATION_REASONS.certificateHold }, record, nonIssued: true };
      return { status: { kind: 'unknown' }, record, nonIssued: true };
    }
    if (record.state === 'good') return { status: { kind: 'good' }, record, nonIssued: false };
    return { status: { kind: 'revoked', revokedAt: record.revokedAt ?? EPOCH, reason: record.reason }, record, nonIssued: false };
  }

  validitySeconds(answer: CertificateAnswer): number {
    return answer.record ? this.policy.validitySeconds : this.policy.unknownValiditySeconds;
  }

  /** responseExtensions for these answers (the extended-revoke marker for never-issued serials answered revoked). */
  responseExtensions(answers: CertificateAnswer[]): Buffer[] {
    return answers.some((a) => a.nonIssued) && this.policy.nonIssued === 'revoked' ? [EXTENDED_REVOKE_EXTENSION] : [];
  }

  /** The archive cutoff, when the policy announces one (producedAt − retention). */
  singleExtensions(producedAt: Date): Buffer[] {
    const days = this.policy.archiveRetentionDays;
    return days === null ? [] : [archiveCutoffExtension(new Date(producedAt.getTime() - days * 86_400_000))];
  }

  async sign(issuer: ActiveIssuer, singles: SingleResponseInput[], extensions: Buffer[], producedAt: Date, kind: 'live' | 'presign'): Promise<Buffer> {
    const tbs = tbsResponseData(issuer.responderId, producedAt, singles.map(singleResponse), extensions);
    const started = performance.now();
    const signature = await issuer.signer.sign(tbs, kind === 'presign' ? 'bulk' : 'live');
    this.metrics.signed((performance.now() - started) / 1000, issuer.issuer.alias, kind);
    return successfulResponse(tbs, issuer.signer.algorithmIdentifier, signature, issuer.certsField);
  }

  /**
   * The pre-encoded parts shared by every pre-signed answer of `issuer` for a known certificate
   * produced at `producedAt` — the same pieces `sign` puts together (see singleResponse and
   * tbsResponseData), for the bulk pre-signing pipeline that assembles them off the event loop.
   */
  bulkTemplate(issuer: ActiveIssuer, certIdPrefix: Buffer, producedAt: Date): { template: ResponseTemplate; nextUpdate: Date } {
    const nextUpdate = new Date(producedAt.getTime() + this.policy.validitySeconds * 1000);
    const singleExtensions = this.singleExtensions(producedAt);
    const time = generalizedTime(producedAt);
    return {
      nextUpdate,
      template: {
        certIdPrefix,
        responderId: issuer.responderId,
        producedAt: time,
        thisUpdate: time,
        nextUpdateField: tlv(ctx(0), generalizedTime(nextUpdate)),
        singleExtensionsField: singleExtensions.length ? tlv(ctx(1), tlv(TAG.SEQUENCE, ...singleExtensions)) : Buffer.alloc(0),
        // Known certificates only: the extended-revoke marker is for never-issued serials.
        responseExtensionsField: Buffer.alloc(0),
        algorithmIdentifier: issuer.signer.algorithmIdentifier,
        certsField: issuer.certsField,
        basicOid: BASIC_OID,
      },
    };
  }

  /** Records `count` bulk signatures that took `seconds` in all (one histogram sample each, at the mean). */
  bulkSigned(issuer: ActiveIssuer, count: number, seconds: number): void {
    for (let i = 0; i < count; i++) this.metrics.signed(seconds / count, issuer.issuer.alias, 'presign');
  }

  /**
   * A fingerprint of everything that shapes a signed answer of `issuer` apart from the
   * certificate's status: responder id (mode and value), signer certificate and key, signature
   * algorithm (hash included), validity, archive cutoff and non-issued settings. Stored with each
   * pre-signed answer; an answer whose fingerprint differs is signed again rather than served.
   */
  profileOf(issuer: ActiveIssuer): string {
    let profile = this.profiles.get(issuer);
    if (!profile) {
      const h = createHash('sha256');
      h.update('ocsp-signing-profile/v1\0');
      for (const part of [issuer.responderId, issuer.certsField, issuer.signingKeyId, issuer.signer.algorithmIdentifier]) {
        h.update(String(part.length)).update(':').update(part);
      }
      const p = this.policy;
      h.update(JSON.stringify([p.validitySeconds, p.unknownValiditySeconds, p.archiveRetentionDays, p.nonIssued]));
      profile = h.digest('base64url');
      this.profiles.set(issuer, profile);
    }
    return profile;
  }
}
