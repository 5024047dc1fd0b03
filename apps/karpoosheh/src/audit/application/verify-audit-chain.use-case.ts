import { Inject, Injectable } from '@nestjs/common';
import { NoticeRepository } from '../../notices/domain/notice.repository.js';
import { noticeNotFound } from '../../shared/domain/karpoosheh.errors.js';
import { verifyChain } from '../domain/hash-chain.js';
import { AuditLogRepository } from '../domain/audit-log.repository.js';

/** Recomputes a notice's chain from the genesis and compares the end with the head stored on the notice. */
@Injectable()
export class VerifyAuditChainUseCase {
  constructor(
    @Inject(NoticeRepository) private readonly notices: NoticeRepository,
    @Inject(AuditLogRepository) private readonly audit: AuditLogRepository,
  ) {}

  async execute(noticeId: string, agencyId: string | null) {
    const notice = await this.notices.findNotice(noticeId);
    if (!notice || (agencyId !== null && notice.agency_id !== agencyId)) throw noticeNotFound();
    const entries = [];
    for await (const e of this.audit.entries(noticeId)) entries.push(e);
    const result = verifyChain(entries);
    const head = await this.audit.head(noticeId);
    const headMatches = head !== null && head.seq === result.entries && head.hash === result.headHash;
    return {
      noticeId,
      valid: result.valid && headMatches,
      entries: result.entries,
      headHash: result.headHash,
      brokenAt: result.brokenAt ?? (headMatches ? null : result.entries + 1),
      problem: result.problem ?? (headMatches ? null : 'the chain does not end at the head recorded on the notice (entries missing at the end)'),
    };
  }
}
