import { lookupKey } from '../../issuers/domain/issuer.js';
import type { ActiveIssuer, IssuerDirectory } from '../../issuers/application/issuer-directory.js';
import type { StatusBook } from '../../certificates/application/status-book.js';
import type { CachedResponse } from '../../presigned-responses/application/presigned-response.cache.js';
import type { Presigner } from '../../presigned-responses/application/presigner.js';
import { MalformedOcspRequest, parseOcspRequest, type RequestedCertId } from '../domain/ocsp-request.js';
import { errorResponse, type OcspResponseStatusName } from '../domain/ocsp-response.js';
import type { OcspPolicy } from './ocsp-policy.js';
import type { OcspMetrics } from './ocsp-metrics.js';
import type { ResponseSigner } from './response-signer.js';
import { UnboundedLiveSigning, type LiveSigningLimiter } from './live-signing-limiter.js';

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

const errorAnswer = (outcome: Exclude<OcspResponseStatusName, 'successful'>): OcspAnswer => ({
  der: { malformedRequest: MALFORMED, unauthorized: UNAUTHORIZED, tryLater: TRY_LATER, internalError: INTERNAL, sigRequired: INTERNAL }[outcome],
  outcome,
  cacheable: null,
});

/**
 * Answers OCSP requests. The common case — one CertID, no nonce to echo — is a synchronous
 * map hit on a pre-signed DER (presigned-responses/); everything else is signed on the signing pool.
 */
export class OcspResponder {
  constructor(
    private readonly directory: IssuerDirectory,
    private readonly book: StatusBook,
    private readonly presigned: Presigner,
    private readonly signer: ResponseSigner,
    private readonly policy: OcspPolicy,
    private readonly metrics: OcspMetrics,
    private readonly onError: (err: unknown) => void = () => undefined,
    private readonly limiter: LiveSigningLimiter = new UnboundedLiveSigning(),
  ) {}

  /**
   * Returns synchronously on a cache hit or an error answer; a Promise when signing is needed.
   * `client` (the caller's address) is what live signing is bounded by; a function is called
   * only when a signature is needed (resolving the address is not free on the hot path).
   */
  respond(der: Buffer, alias?: string, client: string | (() => string) = '-'): OcspAnswer | Promise<OcspAnswer> {
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
      const hit = this.presigned.lookup(request.certIds[0].key);
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
    // Boulder's policy: a serial the issuer never reported is not worth a signature.
    if (this.policy.unknownSerial === 'unauthorized' && request.certIds.some((c) => !this.book.get(issuer!.issuer.id, c.serial)))
      return this.count(errorAnswer('unauthorized'), alias);
    return this.answer(issuer!, request.certIds, echoNonce ? request.nonceExtension : null, typeof client === 'string' ? client : client()).catch((err: unknown) => {
      this.onError(err);
      return this.count(errorAnswer('internalError'), issuer!.issuer.alias);
    });
  }

  private async answer(issuer: ActiveIssuer, certIds: RequestedCertId[], nonceExtension: Buffer | null, client: string): Promise<OcspAnswer> {
    const alias = issuer.issuer.alias;
    if (!(await this.limiter.allow(client))) {
      // Over its signing budget: the pre-signed answer without the nonce (RFC 5019 §4 lets a
      // responder ignore it) if there is one, else tryLater. Never a signature.
      const hit = certIds.length === 1 ? this.presigned.lookup(certIds[0].key) : undefined;
      if (hit && hit.nextUpdate.getTime() > Date.now()) {
        this.metrics.response(hit.status, alias);
        return { der: hit.der, outcome: hit.status, cacheable: hit };
      }
      return this.count(errorAnswer('tryLater'), alias);
    }
    if (!nonceExtension && certIds.length === 1) {
      const entry = await this.presigned.presign(issuer, certIds[0].serial, Buffer.from(certIds[0].der));
      if (entry) {
        this.metrics.response(entry.status, alias);
        return { der: entry.der, outcome: entry.status, cacheable: entry };
      }
    }
    const now = this.signer.clock();
    const answers = certIds.map((c) => this.signer.answerFor(issuer, c.serial));
    const extensions = nonceExtension ? [nonceExtension] : [];
    extensions.push(...this.signer.responseExtensions(answers));
    const singles = certIds.map((c, i) => ({
      certIdDer: c.der,
      status: answers[i].status,
      thisUpdate: now,
      nextUpdate: new Date(now.getTime() + 1000 * this.signer.validitySeconds(answers[i])),
      extensions: this.signer.singleExtensions(now),
    }));
    const der = await this.signer.sign(issuer, singles, extensions, now, 'live');
    const kinds = new Set(answers.map((a) => a.status.kind));
    const outcome = kinds.size === 1 ? [...kinds][0] : 'mixed';
    this.metrics.response(outcome, alias);
    return { der, outcome, cacheable: null };
  }

  private count(answer: OcspAnswer, alias: string | undefined): OcspAnswer {
    // The alias comes from the request path: only a served issuer's becomes a metric label, so
    // requests to made-up aliases cannot grow the label set without bound.
    this.metrics.response(answer.outcome, alias !== undefined && this.directory.get(alias) ? alias : '-');
    return answer;
  }
}
