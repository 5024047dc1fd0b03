import type { ResponderIdMode } from '../../issuers/domain/issuer.js';

export interface OcspPolicy {
  /** `echo`: nonce requests are signed live and echo the nonce; `ignore`: served from the pre-signed cache. */
  nonce: 'echo' | 'ignore';
  responderId: ResponderIdMode;
  /** nextUpdate − thisUpdate of pre-signed responses. */
  validitySeconds: number;
  /** Re-sign once less than this remains before nextUpdate. */
  refreshBeforeSeconds: number;
  /** Validity of answers for serials we have no record of. */
  unknownValiditySeconds: number;
  /** A never-issued serial: `unknown`, or `revoked` + certificateHold per RFC 6960 §2.2. */
  nonIssued: 'unknown' | 'revoked';
  /**
   * Days of status kept past a certificate's expiry, announced in every answer as the archive
   * cutoff (producedAt − this, RFC 6960 §4.4.4); null: not announced. Statuses are never purged,
   * so any value is honoured.
   */
  archiveRetentionDays: number | null;
  /**
   * A serial the issuer never reported: `unknown` (answered under `nonIssued`, signed), or
   * `unauthorized` — the unsigned error response (RFC 5019 §2.2.3), which costs no signature.
   */
  unknownSerial: 'unknown' | 'unauthorized';
  maxCertIds: number;
  /** Re-signing job concurrency. */
  refreshConcurrency: number;
}

export const DEFAULT_OCSP_POLICY: OcspPolicy = {
  nonce: 'echo',
  responderId: 'byKey',
  validitySeconds: 24 * 3600,
  refreshBeforeSeconds: 12 * 3600,
  unknownValiditySeconds: 3600,
  nonIssued: 'unknown',
  archiveRetentionDays: null,
  unknownSerial: 'unknown',
  maxCertIds: 20,
  refreshConcurrency: 16,
};
