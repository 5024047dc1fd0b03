/** What the responder reports; the Nest module binds it to the platform's MetricsRegistry. */
export abstract class OcspMetrics {
  abstract response(outcome: string, issuer: string): void;
  abstract signed(seconds: number, issuer: string, kind: 'live' | 'presign'): void;
  /** A cacheable request (one CertID, no nonce to echo): served from a pre-signed response or not. */
  abstract cacheLookup(served: boolean): void;
}

export class NoopOcspMetrics extends OcspMetrics {
  response(): void {}
  signed(): void {}
  cacheLookup(): void {}
}
