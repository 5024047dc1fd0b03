import { Inject, Injectable } from '@nestjs/common';
import { AuditLogRepository } from '../../audit/domain/audit-log.repository.js';
import { NoticeRepository } from '../../notices/domain/notice.repository.js';
import { Clock } from '../../shared/domain/clock.js';
import { noticeNotFound } from '../../shared/domain/karpoosheh.errors.js';
import { ReceiptSigner } from './receipt-signer.js';

/**
 * A signed receipt of one recipient's copy of a notice: when it was accepted, delivered,
 * opened (and by whom), deemed delivered or cancelled, with the audit entries (seq and hash)
 * that prove each step and the chain head at issue time. The agency keeps it as legal proof;
 * anyone can check it against /.well-known/jwks.json.
 */
@Injectable()
export class IssueReceiptUseCase {
  constructor(
    @Inject(NoticeRepository) private readonly notices: NoticeRepository,
    @Inject(AuditLogRepository) private readonly audit: AuditLogRepository,
    @Inject(ReceiptSigner) private readonly signer: ReceiptSigner,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  /** `viewer`: the agency that sent it, or the recipient (the caller proved which). */
  async execute(noticeId: string, recipientId: string, viewer: { agencyId?: string; recipientId?: string }): Promise<{ receipt: string; claims: Record<string, unknown> }> {
    const notice = await this.notices.findNotice(noticeId);
    if (!notice) throw noticeNotFound();
    if (viewer.agencyId !== undefined && viewer.agencyId !== notice.agency_id) throw noticeNotFound();
    if (viewer.recipientId !== undefined && viewer.recipientId !== recipientId) throw noticeNotFound();
    const entry = await this.notices.entry(noticeId, recipientId);
    if (!entry) throw noticeNotFound();
    if (viewer.recipientId !== undefined && !['DELIVERED', 'VIEWED', 'EFFECTIVE'].includes(entry.state)) throw noticeNotFound();
    const proofs = (await this.audit.forRecipient(noticeId, recipientId)).map((e) => ({ seq: e.seq, action: e.action, at: e.at, hash: e.hash }));
    const head = await this.audit.head(noticeId);
    const claims = {
      iss: 'karpoosheh',
      iat: Math.floor(this.clock.now().getTime() / 1000),
      noticeId,
      agencyId: notice.agency_id,
      recipientId,
      state: entry.state,
      acceptedAt: entry.created_at.toISOString(),
      deliveredAt: entry.delivered_at?.toISOString() ?? null,
      viewedAt: entry.read_at?.toISOString() ?? null,
      viewedBy: entry.read_by,
      effectiveAt: entry.effective_at?.toISOString() ?? null,
      cancelledAt: entry.cancelled_at?.toISOString() ?? null,
      audit: { entries: proofs, headSeq: head?.seq ?? 0, headHash: head?.hash ?? null },
    };
    return { receipt: await this.signer.sign(claims), claims };
  }
}
