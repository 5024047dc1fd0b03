/**
 * The HTTP cache tier in front of the responder (Varnish, cache-tier/ocsp.vcl): told to forget a
 * certificate's cached GET answers when its status changes — every URL form and every CertID hash
 * algorithm at once, by the `x-ocsp-cert` tag the responder puts on cacheable answers.
 */
export abstract class CacheTierPurger {
  /** Forgets every cached answer of the certificate. Never throws (a failure is logged). */
  abstract purge(issuerId: string, serial: string): Promise<void>;
}

/** No cache tier configured. */
export class NoCacheTier extends CacheTierPurger {
  async purge(): Promise<void> {}
}

export const cacheTag = (issuerId: string, serial: string) => `${issuerId}:${serial}`;
