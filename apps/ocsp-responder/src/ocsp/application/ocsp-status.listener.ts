import type { CertificateStatus } from '../../certificates/domain/certificate-status.js';
import type { StatusListener } from '../../certificates/application/status-change-effects.js';
import type { OcspResponder } from './ocsp-responder.js';
import { forEachBounded } from './presign-refresh.job.js';

/** After a status change: evict the stale responses at once, then re-sign them. */
export class OcspStatusListener implements StatusListener {
  constructor(
    private readonly responder: OcspResponder,
    private readonly concurrency: number,
  ) {}

  async statusChanged(statuses: CertificateStatus[]): Promise<void> {
    const jobs = statuses.map((s) => this.responder.evict(s.issuerId, s.serial)).filter((j) => j !== null);
    await forEachBounded(jobs, this.concurrency, (job) => this.responder.resign(job));
  }
}
