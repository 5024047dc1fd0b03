import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { TransactionRunner } from '@darvazeh/database';
import { conflict } from '../../shared/domain/gsb.errors.js';
import type { HistoryEntry, RequestRecord } from '../domain/request.js';
import { RequestRepository, type QueueFilter, type StepWrite, type StoredLetterFile } from '../domain/request.repository.js';

export interface RequestRow {
  id: string;
  kind: string;
  agency_id: string;
  created_by: string;
  state: string;
  environment: string | null;
  service_code: string | null;
  provider_agency_id: string | null;
  draft: RequestRecord['draft'];
  letter_file: RequestRecord['letterFile'];
  evaluation: RequestRecord['evaluation'];
  priority: string | null;
  claimed_by: string | null;
  claimed_at: Date | null;
  first_approved_by: string | null;
  fixes: RequestRecord['fixes'];
  decision_reason: string | null;
  submitted_at: Date | null;
  claim_due_at: Date | null;
  decision_due_at: Date | null;
  claim_escalated_at: Date | null;
  decision_escalated_at: Date | null;
  version: number;
  created_at: Date;
  updated_at: Date;
}

const d = (v: Date | null) => (v === null ? null : new Date(v));

export function toRecord(r: RequestRow): RequestRecord {
  return {
    id: r.id,
    kind: r.kind as RequestRecord['kind'],
    agencyId: r.agency_id,
    createdBy: r.created_by,
    state: r.state as RequestRecord['state'],
    environment: r.environment,
    serviceCode: r.service_code,
    providerAgencyId: r.provider_agency_id,
    draft: r.draft,
    letterFile: r.letter_file,
    evaluation: r.evaluation,
    priority: r.priority as RequestRecord['priority'],
    claimedBy: r.claimed_by,
    claimedAt: d(r.claimed_at),
    firstApprovedBy: r.first_approved_by,
    fixes: r.fixes,
    decisionReason: r.decision_reason,
    submittedAt: d(r.submitted_at),
    claimDueAt: d(r.claim_due_at),
    decisionDueAt: d(r.decision_due_at),
    claimEscalatedAt: d(r.claim_escalated_at),
    decisionEscalatedAt: d(r.decision_escalated_at),
    version: r.version,
    createdAt: new Date(r.created_at),
    updatedAt: new Date(r.updated_at),
  };
}

const COLUMNS = [
  'id', 'kind', 'agency_id', 'created_by', 'state', 'environment', 'service_code', 'provider_agency_id', 'draft', 'letter_file', 'evaluation',
  'priority', 'claimed_by', 'claimed_at', 'first_approved_by', 'fixes', 'decision_reason', 'submitted_at', 'claim_due_at', 'decision_due_at',
  'claim_escalated_at', 'decision_escalated_at', 'version', 'created_at', 'updated_at',
];

function values(r: RequestRecord): unknown[] {
  const json = (v: unknown) => (v === null ? null : JSON.stringify(v));
  return [
    r.id, r.kind, r.agencyId, r.createdBy, r.state, r.environment, r.serviceCode, r.providerAgencyId, json(r.draft), json(r.letterFile), json(r.evaluation),
    r.priority, r.claimedBy, r.claimedAt, r.firstApprovedBy, json(r.fixes), r.decisionReason, r.submittedAt, r.claimDueAt, r.decisionDueAt,
    r.claimEscalatedAt, r.decisionEscalatedAt, r.version, r.createdAt, r.updatedAt,
  ];
}

const UPDATE_SETS = COLUMNS.slice(1).map((c, i) => `${c} = $${i + 2}`).join(', ');

const historyValues = (h: HistoryEntry): unknown[] => [h.at, h.actor, h.actorRole, h.action, h.fromState, h.toState, h.comment, h.details === null ? null : JSON.stringify(h.details)];

/**
 * The history entry of the request written by the CTE `cte` (its id), parameters after the
 * request's `offset` ones. A request row and its history entry go in one statement: one round
 * trip instead of two on every step. If the CTE wrote no row, request_id is NULL and the
 * statement fails (NOT NULL) rather than losing the entry.
 */
const HISTORY_INSERT = (cte: string, offset: number) =>
  `INSERT INTO request_history (request_id, at, actor, actor_role, action, from_state, to_state, comment, details)
   VALUES ((SELECT id FROM ${cte}), ${Array.from({ length: 8 }, (_, i) => `$${offset + i + 1}`).join(', ')})`;

/** `$n::type, …` of the history entry's parameters, numbered from `offset + 1` (in a SELECT list, which has no target types). */
const HISTORY_TYPES = ['timestamptz', 'text', 'text', 'text', 'text', 'text', 'text', 'jsonb'];
const historySelect = (offset: number) => HISTORY_TYPES.map((t, i) => `$${offset + i + 1}::${t}`).join(', ');

const GRANT_COLUMNS = 'id, request_id, consumer_agency_id, provider_agency_id, service_code, environment, status, quota_per_minute, quota_per_day, valid_from, valid_until, version, reason, changed_at';
const GRANT_TYPES = ['uuid', 'uuid', 'text', 'text', 'text', 'text', 'text', 'integer', 'integer', 'timestamptz', 'timestamptz', 'integer', 'text', 'timestamptz'];

/** SQL of requests, their letter files and their history. */
@Injectable()
export class TypeOrmRequestRepository extends RequestRepository {
  constructor(@Inject(TransactionRunner) private readonly tx: TransactionRunner) {
    super();
  }

  /** The calling use case's transaction (or the pool outside one). */
  private get m(): EntityManager {
    return this.tx.manager();
  }

  override async insertWithHistory(r: RequestRecord, h: HistoryEntry): Promise<void> {
    await this.m.query(
      `WITH inserted AS (INSERT INTO requests (${COLUMNS.join(', ')}) VALUES (${COLUMNS.map((_, i) => `$${i + 1}`).join(', ')}) RETURNING id)
       ${HISTORY_INSERT('inserted', COLUMNS.length)}`,
      [...values(r), ...historyValues(h)],
    );
  }

  override async commitStep(w: StepWrite): Promise<boolean> {
    // One data-modifying CTE: `written` is the request row (the INSERT of a new one, or the
    // UPDATE guarded by the version the step read); every other part inserts only for the row
    // `written` returned, so a request changed meanwhile writes nothing at all. The UPDATE holds
    // the row lock while the outbox rows get their ids, so one request's events keep their order.
    const params: unknown[] = [...values(w.request), ...historyValues(w.history)];
    const p = (v: unknown) => (params.push(v), `$${params.length}`);
    const parts: string[] = [
      w.readVersion === null
        ? `written AS (INSERT INTO requests (${COLUMNS.join(', ')}) VALUES (${COLUMNS.map((_, i) => `$${i + 1}`).join(', ')}) RETURNING id)`
        : `written AS (UPDATE requests SET ${UPDATE_SETS} WHERE id = $1 AND version = ${p(w.readVersion)} RETURNING id)`,
    ];
    const f = w.letterFile;
    if (f) {
      // uploaded_at is the history entry's time (its first parameter).
      parts.push(`file AS (
        INSERT INTO request_letter_files (request_id, content_type, size, sha256, file_name, bytes, uploaded_at)
        SELECT id, ${p(f.contentType)}::text, ${p(f.size)}::integer, ${p(f.sha256)}::text, ${p(f.fileName)}::text, ${p(f.bytes)}::bytea, $${COLUMNS.length + 1}::timestamptz FROM written
        ON CONFLICT (request_id) DO UPDATE SET content_type = EXCLUDED.content_type, size = EXCLUDED.size, sha256 = EXCLUDED.sha256,
          file_name = EXCLUDED.file_name, bytes = EXCLUDED.bytes, uploaded_at = EXCLUDED.uploaded_at)`);
    }
    const g = w.grant;
    if (g) {
      const gv = [g.id, g.requestId, g.consumerAgencyId, g.providerAgencyId, g.serviceCode, g.environment, g.status, g.quotaPerMinute, g.quotaPerDay, g.validFrom, g.validUntil, g.version, g.reason, g.changedAt];
      parts.push(`new_grant AS (INSERT INTO grants (${GRANT_COLUMNS}) SELECT ${gv.map((v, i) => `${p(v)}::${GRANT_TYPES[i]}`).join(', ')} FROM written)`);
    }
    (w.connections ?? []).forEach((c, i) =>
      parts.push(`connection_${i} AS (
        INSERT INTO connections (agency_id, environment, status, request_id, ip_ranges, credential, activated_at)
        SELECT ${p(c.agencyId)}::text, ${p(c.environment)}::text, 'ACTIVE', id, ${p(c.ipRanges)}::text[], ${p(JSON.stringify(c.credential))}::jsonb, ${p(c.activatedAt)}::timestamptz FROM written
        ON CONFLICT (agency_id, environment) DO UPDATE SET status = 'ACTIVE', request_id = EXCLUDED.request_id, ip_ranges = EXCLUDED.ip_ranges,
          credential = EXCLUDED.credential, activated_at = EXCLUDED.activated_at)`),
    );
    if (w.events && w.events.count > 0) {
      parts.push(`events AS (${w.events.sql(params.length, 'written')})`);
      params.push(...w.events.params);
    }
    const sql = `WITH ${parts.join(',\n')}
      INSERT INTO request_history (request_id, at, actor, actor_role, action, from_state, to_state, comment, details)
      SELECT id, ${historySelect(COLUMNS.length)} FROM written RETURNING request_id`;
    try {
      const rows: unknown[] = await this.m.query(sql, params);
      return rows.length === 1;
    } catch (error) {
      if ((error as { constraint?: string }).constraint === 'grants_live_key') {
        throw conflict('GSB.GRANT_EXISTS', 'the agency already holds a live grant for this service and environment', 'Reject this request as a duplicate.');
      }
      throw error;
    }
  }

  override async save(r: RequestRecord): Promise<void> {
    await this.m.query(`UPDATE requests SET ${UPDATE_SETS} WHERE id = $1`, values(r));
  }

  override async saveWithHistory(r: RequestRecord, h: HistoryEntry, f?: StoredLetterFile): Promise<void> {
    const params = [...values(r), ...historyValues(h)];
    let file = '';
    if (f) {
      const n = params.length;
      // uploaded_at is the history entry's time, h.at (the first history parameter).
      file = `, file AS (
        INSERT INTO request_letter_files (request_id, content_type, size, sha256, file_name, bytes, uploaded_at)
        VALUES ($1, $${n + 1}, $${n + 2}, $${n + 3}, $${n + 4}, $${n + 5}, $${COLUMNS.length + 1})
        ON CONFLICT (request_id) DO UPDATE SET content_type = EXCLUDED.content_type, size = EXCLUDED.size, sha256 = EXCLUDED.sha256,
          file_name = EXCLUDED.file_name, bytes = EXCLUDED.bytes, uploaded_at = EXCLUDED.uploaded_at)`;
      params.push(f.contentType, f.size, f.sha256, f.fileName, f.bytes);
    }
    await this.m.query(`WITH saved AS (UPDATE requests SET ${UPDATE_SETS} WHERE id = $1 RETURNING id)${file} ${HISTORY_INSERT('saved', COLUMNS.length)}`, params);
  }

  override async get(id: string, lock = false): Promise<RequestRecord | null> {
    const [r] = await this.m.query(`SELECT * FROM requests WHERE id = $1${lock ? ' FOR UPDATE' : ''}`, [id]);
    return r ? toRecord(r) : null;
  }


  override async history(requestId: string): Promise<HistoryEntry[]> {
    const rows = await this.m.query(`SELECT * FROM request_history WHERE request_id = $1 ORDER BY id`, [requestId]);
    return rows.map((r: Record<string, unknown>) => ({
      at: new Date(r.at as string),
      actor: r.actor,
      actorRole: r.actor_role,
      action: r.action,
      fromState: r.from_state,
      toState: r.to_state,
      comment: r.comment,
      details: r.details,
    }));
  }

  override async listForAgency(agencyId: string | null, filter: { state?: string; kind?: string; afterId?: string; limit: number }): Promise<RequestRecord[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    const p = (v: unknown) => (params.push(v), `$${params.length}`);
    if (agencyId !== null) where.push(`agency_id = ${p(agencyId)}`);
    if (filter.state) where.push(`state = ${p(filter.state)}`);
    if (filter.kind) where.push(`kind = ${p(filter.kind)}`);
    if (filter.afterId) where.push(`id < ${p(filter.afterId)}`);
    const rows = await this.m.query(`SELECT * FROM requests ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT ${p(filter.limit + 1)}`, params);
    return rows.map(toRecord);
  }

  override async queue(f: QueueFilter): Promise<RequestRecord[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    const p = (v: unknown) => (params.push(v), `$${params.length}`);
    where.push(`state = ANY(${p(f.states)}::text[])`);
    if (f.priority) where.push(`priority = ${p(f.priority)}`);
    if (f.environment) where.push(`(environment = ${p(f.environment)} OR (kind = 'CONNECTION' AND draft->'connectionEnvironments' ? ${p(f.environment)}))`);
    if (f.providerAgencyId) where.push(`provider_agency_id = ${p(f.providerAgencyId)}`);
    if (f.agencyId) where.push(`agency_id = ${p(f.agencyId)}`);
    if (f.kind) where.push(`kind = ${p(f.kind)}`);
    if (f.submittedBefore) where.push(`submitted_at <= ${p(f.submittedBefore)}`);
    if (f.escalated !== undefined) where.push(`${f.escalated ? '' : 'NOT '}(claim_escalated_at IS NOT NULL OR decision_escalated_at IS NOT NULL)`);
    if (f.after) where.push(`(submitted_at, id) > (${p(f.after.s)}::timestamptz, ${p(f.after.i)}::uuid)`);
    const rows = await this.m.query(`SELECT * FROM requests WHERE ${where.join(' AND ')} ORDER BY submitted_at, id LIMIT ${p(f.limit + 1)}`, params);
    return rows.map(toRecord);
  }

  override async overdue(now: Date, limit: number): Promise<RequestRecord[]> {
    const rows = await this.m.query(
      `SELECT * FROM requests
        WHERE (state = 'SUBMITTED' AND claim_escalated_at IS NULL AND claim_due_at <= $1)
           OR (state IN ('SUBMITTED','IN_REVIEW','PENDING_SECOND_APPROVAL') AND decision_escalated_at IS NULL AND decision_due_at <= $1)
        ORDER BY submitted_at LIMIT $2 FOR UPDATE SKIP LOCKED`,
      [now, limit],
    );
    return rows.map(toRecord);
  }

  override async letterFile(requestId: string): Promise<StoredLetterFile | null> {
    const [r] = await this.m.query(`SELECT * FROM request_letter_files WHERE request_id = $1`, [requestId]);
    return r ? { contentType: r.content_type, size: r.size, sha256: r.sha256, fileName: r.file_name, bytes: r.bytes } : null;
  }
}
