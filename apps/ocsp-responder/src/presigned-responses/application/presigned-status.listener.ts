import type { CertificateStatus } from '../../certificates/domain/certificate-status.js';
import type { StatusListener } from '../../certificates/application/status-change-effects.js';
import type { Presigner } from './presigner.js';
import { forEachBounded } from './presign-refresh.job.js';
import { NoCacheTier, type CacheTierPurger } from './cache-tier-purger.js';

/**
 * After a status change: evict the stale responses at once, re-sign them, then purge the
 * certificate's answers from the HTTP cache tier (after the re-sign, so a cache refetch racing
 * the change cannot store the old answer after the ban).
 */
export class PresignedStatusListener implements StatusListener {
  constructor(
    private readonly presigner: Presigner,
    private readonly concurrency: number,
    private readonly cacheTier: CacheTierPurger = new NoCacheTier(),
  ) {}

  async statusChanged(statuses: CertificateStatus[]): Promise<void> {
    const jobs = statuses.map((s) => this.presigner.evict(s.issuerId, s.serial)).filter((j) => j !== null);
    await forEachBounded(jobs, this.concurrency, async (job) => {
      await this.presigner.resign(job);
      await this.cacheTier.purge(job.issuer.issuer.id, job.serial);
    });
  }
}
