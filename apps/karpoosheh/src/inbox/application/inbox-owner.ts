import { Inject, Injectable } from '@nestjs/common';
import type { Principal } from '@darvazeh/auth';
import { MandateRepository } from '../../directory/domain/directory.repository.js';
import { forbidden } from '../../shared/domain/karpoosheh.errors.js';
import { parseRecipient } from '../../shared/domain/recipient-id.js';

/** Whose inbox a request reads, and who is reading it (recorded as the reader). */
export interface InboxOwner {
  recipientId: string;
  reader: string;
}

/**
 * A citizen reads their own inbox (the national code in their token, never one from the
 * request), or a company's when they hold an active mandate for it (`?as=<company id>`).
 */
@Injectable()
export class InboxOwnerResolver {
  constructor(@Inject(MandateRepository) private readonly mandates: MandateRepository) {}

  async resolve(p: Principal, as: string | undefined): Promise<InboxOwner> {
    const reader = p.nationalCode;
    if (!reader) throw forbidden('KARPOOSHEH.NO_NATIONAL_CODE', 'Your token carries no national code.', 'Sign in as a citizen.');
    if (!as || as === reader) return { recipientId: reader, reader };
    const company = parseRecipient(as);
    if (!company || company.kind !== 'company') throw forbidden('KARPOOSHEH.NOT_A_REPRESENTATIVE', 'You may read only your own inbox or that of a company you represent.');
    const represents = await this.mandates.isActive(reader, company.id);
    if (!represents) throw forbidden('KARPOOSHEH.NOT_A_REPRESENTATIVE', 'You may read only your own inbox or that of a company you represent.');
    return { recipientId: company.id, reader };
  }
}
