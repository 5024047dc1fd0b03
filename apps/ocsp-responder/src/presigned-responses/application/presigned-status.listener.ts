import type { CertificateStatus } from '../../certificates/domain/certificate-status.js';
import type { StatusListener } from '../../certificates/application/status-change-effects.js';
import type { Presigner } from './presigner.js';
import { forEachBounded } from './presign-refresh.job.js';

/** After a status change: evict the stale responses at once, then re-sign them. */
export class PresignedStatusListener implements StatusListener {
  constructor(
    private readonly presigner: Presigner,
    private readonly concurrency: number,
  ) {}

  async statusChanged(statuses: CertificateStatus[]): Promise<void> {
    const jobs = statuses.map((s) => this.presigner.evict(s.issuerId, s.serial)).filter((j) => j !== null);
    await forEachBounded(jobs, this.concurrency, (job) => this.presigner.resign(job));
  }
}
