import type { CertificateStatus } from '../../certificates/domain/certificate-status.js';
import type { StatusListener } from '../../certificates/application/status-change-effects.js';
import type { IssuerDirectory } from '../../issuers/application/issuer-directory.js';
import type { PublishCrlUseCase } from './publish-crl.use-case.js';
import type { PublishDeltaCrlUseCase } from './publish-delta-crl.use-case.js';
import type { LatestCrls } from './latest-crls.js';
import type { CrlSettings } from './crl-settings.js';

/**
 * Regenerates CRLs: after revocations (debounced per issuer, so a bulk import yields one CRL,
 * not thousands) and periodically, once half the current CRL's validity has passed. With delta
 * CRLs on, a revocation publishes a delta against the current complete CRL instead, and deltas
 * are renewed at half their validity too.
 */
export class CrlScheduler implements StatusListener {
  private readonly pending = new Map<string, NodeJS.Timeout>();
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly directory: IssuerDirectory,
    private readonly publish: PublishCrlUseCase,
    private readonly latest: LatestCrls,
    private readonly settings: CrlSettings,
    private readonly onError: (err: unknown) => void,
    private readonly publishDelta: PublishDeltaCrlUseCase | null = null,
  ) {}

  async statusChanged(statuses: CertificateStatus[]): Promise<void> {
    for (const issuerId of new Set(statuses.map((s) => s.issuerId))) this.schedule(issuerId);
  }

  schedule(issuerId: string): void {
    if (this.pending.has(issuerId)) return;
    const t = setTimeout(() => {
      this.pending.delete(issuerId);
      void this.publishFor(issuerId, this.settings.delta !== null);
    }, this.settings.debounceMs);
    t.unref();
    this.pending.set(issuerId, t);
  }

  start(intervalMs: number): void {
    this.timer = setInterval(() => void this.refreshDue(), intervalMs);
    this.timer.unref();
  }

  async refreshDue(): Promise<void> {
    const now = Date.now();
    for (const active of this.directory.all()) {
      if (!active.crlSigner) continue;
      const current = this.latest.get(active.issuer.id);
      const half = current ? current.thisUpdate.getTime() + (current.nextUpdate.getTime() - current.thisUpdate.getTime()) / 2 : 0;
      if (!current || now >= half) await this.publishFor(active.issuer.id, false);
      else if (this.settings.delta) {
        const delta = this.latest.getDelta(active.issuer.id);
        if (delta && now >= delta.thisUpdate.getTime() + (delta.nextUpdate.getTime() - delta.thisUpdate.getTime()) / 2) await this.publishFor(active.issuer.id, true);
      }
    }
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    for (const t of this.pending.values()) clearTimeout(t);
    this.pending.clear();
  }

  private async publishFor(issuerId: string, delta: boolean): Promise<void> {
    const active = this.directory.getById(issuerId);
    if (!active?.crlSigner) return;
    try {
      // A delta needs a complete CRL as its base: without one, the complete CRL comes first.
      if (delta && this.publishDelta && (await this.publishDelta.execute(active.issuer.alias))) return;
      await this.publish.execute(active.issuer.alias);
    } catch (err) {
      this.onError(err);
    }
  }
}
