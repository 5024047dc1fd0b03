import { Inject, Injectable } from '@nestjs/common';
import { TransactionRunner } from '@darvazeh/database';
import { decodeCursor, toCursorPage, type CursorPage } from '@darvazeh/http';
import { forbidden, notFound } from '../../shared/domain/gsb.errors.js';
import { isStaff, type Actor } from '../../shared/domain/actor.js';
import type { Deficiency } from '../domain/deficiencies.js';
import type { HistoryEntry, RequestRecord } from '../domain/request.js';
import { RequestsRepository, type QueueFilter, type StoredLetterFile } from '../persistence/requests.repository.js';
import { RequestFacts } from './request-facts.js';
import { loadVisibleRequest } from './request-access.js';

const isUuid = (v: unknown): v is string => typeof v === 'string' && /^[0-9a-f-]{36}$/.test(v);

@Injectable()
export class RequestQueries {
  constructor(
    @Inject(TransactionRunner) private readonly tx: TransactionRunner,
    @Inject(RequestsRepository) private readonly requests: RequestsRepository,
    @Inject(RequestFacts) private readonly facts: RequestFacts,
  ) {}

  get(actor: Actor, id: string): Promise<RequestRecord> {
    return loadVisibleRequest(this.tx.manager(), this.requests, actor, id);
  }

  async history(actor: Actor, id: string): Promise<HistoryEntry[]> {
    const m = this.tx.manager();
    await loadVisibleRequest(m, this.requests, actor, id);
    return this.requests.history(m, id);
  }

  /** Steps 11–12: everything missing or wrong, as the submit would see it now. */
  async deficiencies(actor: Actor, id: string): Promise<Deficiency[]> {
    const m = this.tx.manager();
    return this.facts.deficiencies(m, await loadVisibleRequest(m, this.requests, actor, id));
  }

  async letterFile(actor: Actor, id: string): Promise<StoredLetterFile> {
    const m = this.tx.manager();
    await loadVisibleRequest(m, this.requests, actor, id);
    const f = await this.requests.letterFile(m, id);
    if (!f) throw notFound('GSB.LETTER_FILE_NOT_FOUND', 'no letter file was uploaded for this request');
    return f;
  }

  /** An agency lists its own requests; experts and admins everyone's. Newest first. */
  async list(actor: Actor, q: { state?: string; kind?: string; cursor?: string; limit: number }): Promise<CursorPage<RequestRecord>> {
    const afterId = q.cursor ? decodeCursor(q.cursor, (v): v is { i: string } => isUuid(v.i)).i : undefined;
    const agencyId = isStaff(actor) ? null : actor.agencyId;
    if (agencyId === undefined) throw forbidden('GSB.AGENCY_REQUIRED', 'your token carries no agency');
    const rows = await this.requests.listForAgency(this.tx.manager(), agencyId, { state: q.state, kind: q.kind, afterId, limit: q.limit });
    return toCursorPage(rows, q.limit, (r) => ({ i: r.id }), (r) => r);
  }

  /** The experts' queue, oldest submission first. `minAgeHours`: submitted at least that long ago. */
  async queue(q: Omit<QueueFilter, 'after' | 'submittedBefore'> & { minAgeHours?: number; cursor?: string }, now = new Date()): Promise<CursorPage<RequestRecord>> {
    const after = q.cursor ? decodeCursor(q.cursor, (v): v is { s: string; i: string } => typeof v.s === 'string' && isUuid(v.i)) : undefined;
    const submittedBefore = q.minAgeHours !== undefined ? new Date(now.getTime() - q.minAgeHours * 3_600_000) : undefined;
    const rows = await this.requests.queue(this.tx.manager(), { ...q, after, submittedBefore });
    return toCursorPage(rows, q.limit, (r) => ({ s: r.submittedAt!.toISOString(), i: r.id }), (r) => r);
  }
}
