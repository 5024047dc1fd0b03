import { Inject, Injectable } from '@nestjs/common';
import { decodeCursor, toCursorPage, type CursorPage } from '@darvazeh/http';
import { forbidden, notFound } from '../../shared/domain/gsb.errors.js';
import { isStaff, type Actor } from '../../shared/domain/actor.js';
import type { Deficiency } from '../domain/deficiencies.js';
import type { HistoryEntry, RequestRecord } from '../domain/request.js';
import { RequestRepository, type QueueFilter, type StoredLetterFile } from '../domain/request.repository.js';
import { RequestFacts } from './request-facts.js';
import { loadVisibleRequest } from './request-access.js';

const isUuid = (v: unknown): v is string => typeof v === 'string' && /^[0-9a-f-]{36}$/.test(v);

@Injectable()
export class RequestQueries {
  constructor(
    @Inject(RequestRepository) private readonly requests: RequestRepository,
    @Inject(RequestFacts) private readonly facts: RequestFacts,
  ) {}

  get(actor: Actor, id: string): Promise<RequestRecord> {
    return loadVisibleRequest(this.requests, actor, id);
  }

  async history(actor: Actor, id: string): Promise<HistoryEntry[]> {
    await loadVisibleRequest(this.requests, actor, id);
    return this.requests.history(id);
  }

  /** Steps 11–12: everything missing or wrong, as the submit would see it now. */
  async deficiencies(actor: Actor, id: string): Promise<Deficiency[]> {
    const { request, facts } = await this.facts.visibleRequestWithFacts(actor, id);
    return this.facts.evaluate(request, facts).deficiencies;
  }

  async letterFile(actor: Actor, id: string): Promise<StoredLetterFile> {
    await loadVisibleRequest(this.requests, actor, id);
    const f = await this.requests.letterFile(id);
    if (!f) throw notFound('GSB.LETTER_FILE_NOT_FOUND', 'no letter file was uploaded for this request');
    return f;
  }

  /** An agency lists its own requests; experts and admins everyone's. Newest first. */
  async list(actor: Actor, q: { state?: string; kind?: string; cursor?: string; limit: number }): Promise<CursorPage<RequestRecord>> {
    const afterId = q.cursor ? decodeCursor(q.cursor, (v): v is { i: string } => isUuid(v.i)).i : undefined;
    const agencyId = isStaff(actor) ? null : actor.agencyId;
    if (agencyId === undefined) throw forbidden('GSB.AGENCY_REQUIRED', 'your token carries no agency');
    const rows = await this.requests.listForAgency(agencyId, { state: q.state, kind: q.kind, afterId, limit: q.limit });
    return toCursorPage(rows, q.limit, (r) => ({ i: r.id }), (r) => r);
  }

  /** The experts' queue, oldest submission first. `minAgeHours`: submitted at least that long ago. */
  async queue(q: Omit<QueueFilter, 'after' | 'submittedBefore'> & { minAgeHours?: number; cursor?: string }, now = new Date()): Promise<CursorPage<RequestRecord>> {
    const after = q.cursor ? decodeCursor(q.cursor, (v): v is { s: string; i: string } => typeof v.s === 'string' && isUuid(v.i)) : undefined;
    const submittedBefore = q.minAgeHours !== undefined ? new Date(now.getTime() - q.minAgeHours * 3_600_000) : undefined;
    const rows = await this.requests.queue({ ...q, after, submittedBefore });
    return toCursorPage(rows, q.limit, (r) => ({ s: r.submittedAt!.toISOString(), i: r.id }), (r) => r);
  }
}
