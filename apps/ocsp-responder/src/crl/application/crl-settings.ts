export class CrlSettings {
  constructor(
    /** nextUpdate − thisUpdate. */
    readonly validitySeconds: number,
    /** Revocations within this window are folded into one new CRL. */
    readonly debounceMs: number,
  ) {}
}
