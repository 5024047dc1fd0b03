import { CacheTierPurger, cacheTag } from '../application/cache-tier-purger.js';

/**
 * Sends `BAN /` with `x-ocsp-cert: <issuerId>:<serial>` to every cache node (OCSP_CACHE_PURGE_URLS):
 * the VCL bans the objects carrying that tag, whatever URL (base64 form, percent-encoding, alias
 * prefix) and CertID hash algorithm they were fetched under.
 */
export class HttpBanPurger extends CacheTierPurger {
  constructor(
    private readonly nodes: string[],
    private readonly onError: (err: unknown) => void = () => undefined,
    private readonly timeoutMs = 2_000,
  ) {
    super();
  }

  async purge(issuerId: string, serial: string): Promise<void> {
    const tag = cacheTag(issuerId, serial);
    await Promise.all(
      this.nodes.map(async (node) => {
        try {
          const res = await fetch(new URL('/', node), { method: 'BAN', headers: { 'x-ocsp-cert': tag }, signal: AbortSignal.timeout(this.timeoutMs) });
          await res.arrayBuffer();
          if (!res.ok) throw new Error(`cache node ${node} answered ${res.status} to BAN ${tag}`);
        } catch (err) {
          this.onError(err);
        }
      }),
    );
  }
}
