import type { CertificateStatus } from '../../certificates/domain/certificate-status.js';
import type { StatusListener } from '../../certificates/application/status-change-effects.js';
import type { Presigner, ResignJob } from './presigner.js';
import { forEachBounded } from './presign-refresh.job.js';
import { NoCacheTier, type CacheTierPurger } from './cache-tier-purger.js';
import type { BulkPresigner } from './bulk-presigner.js';

/**
 * From this many changed certificates in one commit on (a CSV import, a new CA), re-signing goes
 * to the bulk pipeline in the background instead of being awaited answer by answer.
 */
export const BULK_RESIGN_FROM = 2_000;

/**
 * After a status change: evict the stale responses at once, re-sign them, then purge the
 * certificate's answers from the HTTP cache tier (after the re-sign, so a cache refetch racing
 * the change cannot store the old answer after the ban).
 *
 * A large change (≥ BULK_RESIGN_FROM, with a bulk pipeline wired) is not awaited: the eviction is
 * still synchronous, so until the pipeline reaches a certificate a request for it is a cache miss
 * signed on demand from the new status — never the old answer — and the caller (the import)
 * returns once committed instead of holding its whole working set until a million answers are
 * signed. Its cache-tier purges run once the pipeline pass is done.
 */
export class PresignedStatusListener implements StatusListener {
  constructor(
    private readonly presigner: Presigner,
    private readonly concurrency: number,
    private readonly cacheTier: CacheTierPurger = new NoCacheTier(),
    private readonly bulk: BulkPresigner | null = null,
    private readonly onError: (err: unknown) => void = () => undefined,
  ) {}

  async statusChanged(statuses: CertificateStatus[]): Promise<void> {
    const jobs: { job: ResignJob; status: CertificateStatus }[] = [];
    for (const status of statuses) {
      const job = this.presigner.evict(status.issuerId, status.serial);
      if (job) jobs.push({ job, status });
    }
    if (this.bulk && jobs.length >= BULK_RESIGN_FROM) return this.resignInBulk(this.bulk, jobs);
    await forEachBounded(jobs, this.concurrency, async ({ job }) => {
      await this.presigner.resign(job);
      await this.cacheTier.purge(job.issuer.issuer.id, job.serial);
    });
  }

  private resignInBulk(bulk: BulkPresigner, jobs: { job: ResignJob; status: CertificateStatus }[]): void {
    // What the cache tier may hold: a certificate we had answered, or one no longer good — a
    // revoked or held certificate is always purged. A first issuance we never answered has
    // nothing of ours cached to purge.
    const purge: ResignJob[] = [];
    const extraVariants: ResignJob[] = [];
    const issuers = new Set<string>();
    for (const { job, status } of jobs) {
      issuers.add(job.issuer.issuer.id);
      if (job.hadAnswers || status.state !== 'good') purge.push(job);
      // The pipeline signs the SHA-1 CertID; the other hash variants clients used are signed here.
      const others = job.certIds.filter((c) => !c.equals(job.sha1));
      if (others.length) extraVariants.push({ ...job, certIds: others });
    }
    void Promise.all([...issuers].map((id) => bulk.presignIssuer(id)))
      .then(() => forEachBounded(extraVariants, this.concurrency, (job) => this.presigner.resign(job)))
      .then(() => forEachBounded(purge, this.concurrency, (job) => this.cacheTier.purge(job.issuer.issuer.id, job.serial)))
      .catch(this.onError);
  }
}
