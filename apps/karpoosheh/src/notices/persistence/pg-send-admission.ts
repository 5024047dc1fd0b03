import { Inject, Injectable } from '@nestjs/common';
import { TransactionRunner } from '@darvazeh/database';
import type { SenderAccessStatus } from '../../senders/domain/sender-access.js';
import { SendAdmission, type Admission } from '../domain/send-admission.js';

/**
 * The lock (`pg_try_advisory_xact_lock`), the idempotency record and the sender row (`FOR SHARE`,
 * so a suspension waits for this send and the next send sees it) in one statement. The sender is
 * read and locked only when the key lock was taken.
 */
@Injectable()
export class PgSendAdmission extends SendAdmission {
  constructor(@Inject(TransactionRunner) private readonly tx: TransactionRunner) {
    super();
  }

  override async admit(agencyId: string, key: string): Promise<Admission> {
    const rows: {
      ok: boolean;
      request_hash: string | null;
      response_status: number | null;
      response_body: unknown;
      status: SenderAccessStatus | null;
      disabled: boolean | null;
      callback_url: string | null;
    }[] = await this.tx.manager().query(
      `SELECT l.ok, k.request_hash, k.response_status, k.response_body, s.status, s.disabled, s.callback_url
         FROM (SELECT pg_try_advisory_xact_lock(hashtextextended($1::text || ':' || $2::text, 7)) AS ok) l
         LEFT JOIN idempotency_keys k ON l.ok AND k.agency_id = $1::uuid AND k.key = $2::text
         LEFT JOIN LATERAL (
           SELECT se.status, a.disabled, se.callback_url FROM senders se LEFT JOIN agencies a ON a.agency_id = se.agency_id
            WHERE l.ok AND se.agency_id = $1::uuid FOR SHARE OF se) s ON true`,
      [agencyId, key],
    );
    const r = rows[0];
    if (!r.ok) return { locked: false, record: null, sender: { status: null, callbackUrl: null } };
    return {
      locked: true,
      record: r.request_hash === null ? null : { requestHash: r.request_hash, responseStatus: r.response_status!, responseBody: r.response_body },
      sender: { status: r.status === null ? null : r.disabled ? 'SUSPENDED' : r.status, callbackUrl: r.callback_url },
    };
  }
}
