export class CrlSettings {
  constructor(
    /** nextUpdate − thisUpdate of complete CRLs. */
    readonly validitySeconds: number,
    /** Revocations within this window are folded into one new CRL. */
    readonly debounceMs: number,
    /**
     * Delta CRLs (RFC 5280 §5.2.4): when on, a status change publishes a delta against the latest
     * complete CRL (complete ones follow the schedule and POST /crl/{alias}), and complete CRLs
     * announce `<publicBaseUrl>/crl/<alias>/delta.crl` in freshestCRL.
     */
    readonly delta: { validitySeconds: number; publicBaseUrl: string } | null = null,
  ) {}
}
