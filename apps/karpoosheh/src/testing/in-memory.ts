// In-memory fakes of karpoosheh's repository ports, for use-case unit tests (no I/O). They keep
// the rules the SQL adapters keep (one entry per notice and recipient, chain heads, batch
// progress) and nothing else.
import { isValidNationalCode } from '@darvazeh/core';
import { AttachmentUploads } from '../attachments/domain/attachment-uploads.js';
import { AuditLogRepository } from '../audit/domain/audit-log.repository.js';
import { chain, GENESIS_HASH, type AuditEntry, type AuditFact } from '../audit/domain/hash-chain.js';
import { KarpooshehEnv } from '../config/karpoosheh.env.js';
import type { IdempotencyRecord } from '../notices/domain/idempotency.js';
import { IdempotencyStore } from '../notices/domain/idempotency.store.js';
import { NoticeOutbox, type SerializedNoticeEvent } from '../notices/domain/notice-outbox.js';
import { SendAdmission, type Admission } from '../notices/domain/send-admission.js';
import { DirectSendStore, type DirectSendOutcome, type DirectSendWrite } from '../notices/domain/direct-send.store.js';
import {
  NoticeRepository,
  type AttachmentRef,
  type BatchRow,
  type EntryRow,
  type NewNotice,
  type NoticeAttachmentView,
  type NoticeRow,
  type PlacedEntry,
  type SentNoticeSummary,
} from '../notices/domain/notice.repository.js';
import type { RecipientState } from '../notices/domain/recipient-state.js';
import type { SenderAccessStatus } from '../senders/domain/sender-access.js';
import { SenderRepository, type SenderRow } from '../senders/domain/sender.repository.js';
import { Clock } from '../shared/domain/clock.js';

/** Something whose state a failed transaction puts back. */
interface Restorable {
  snapshot(): () => void;
}

const clone = <T>(v: T): T => structuredClone(v);

// The shared in-memory runner (libs/testing), under the name this app's tests use.
export { InMemoryTransactionRunner as FakeTransactionRunner } from '@darvazeh/testing';

export class ManualClock extends Clock {
  constructor(private t = new Date('2026-12-01T08:00:00.000Z')) {
    super();
  }
  now(): Date {
    return new Date(this.t);
  }
  advance(ms: number): void {
    this.t = new Date(this.t.getTime() + ms);
  }
}

export class InMemoryNoticeRepository extends NoticeRepository implements Restorable {
  notices = new Map<string, NoticeRow>();
  attachments = new Map<string, AttachmentRef[]>();
  /** notice id → recipient id → entry (insertion order = creation order). */
  entries = new Map<string, Map<string, EntryRow>>();
  batches = new Map<string, BatchRow>();
  chunks = new Map<string, Map<number, string[]>>();
  notificationJobs = new Set<string>();
  downloads: { noticeId: string; recipientId: string; sha256: string; reader: string; at: Date }[] = [];
  /** National codes known to the identity projection. */
  citizens = new Set<string>();
  agencyNames = new Map<string, string>();
  /** Sizes and types of stored files (attachmentsOf joins them). */
  files = new Map<string, { mime: string; size: number }>();

  snapshot(): () => void {
    const saved = clone({ n: this.notices, a: this.attachments, e: this.entries, b: this.batches, c: this.chunks, j: this.notificationJobs, d: this.downloads });
    return () => {
      this.notices = saved.n;
      this.attachments = saved.a;
      this.entries = saved.e;
      this.batches = saved.b;
      this.chunks = saved.c;
      this.notificationJobs = saved.j;
      this.downloads = saved.d;
    };
  }

  entriesOf(noticeId: string): EntryRow[] {
    return [...(this.entries.get(noticeId)?.values() ?? [])];
  }

  override async insertNotice(n: NewNotice, attachments: readonly AttachmentRef[]): Promise<void> {
    if (this.notices.has(n.noticeId)) throw new Error(`duplicate notice ${n.noticeId}`);
    this.notices.set(n.noticeId, {
      notice_id: n.noticeId,
      agency_id: n.agencyId,
      subject: n.content.subject,
      body: n.content.body,
      body_format: n.content.bodyFormat,
      category: n.content.category,
      due_date: n.content.dueDate,
      recipient_count: n.recipientCount,
      system_notice: n.system,
      created_at: n.at,
    });
    this.attachments.set(n.noticeId, [...attachments]);
    this.entries.set(n.noticeId, new Map());
  }

  override async deliver(noticeId: string, recipients: readonly string[], at: Date, directory: 'projection' | 'any'): Promise<PlacedEntry[]> {
    const map = this.entries.get(noticeId)!;
    const placed: PlacedEntry[] = [];
    for (const r of recipients) {
      if (map.has(r)) continue;
      const ok = r.length === 11 || directory === 'any' || this.citizens.has(r);
      map.set(r, {
        notice_id: noticeId,
        recipient_id: r,
        state: ok ? 'DELIVERED' : 'FAILED',
        created_at: at,
        delivered_at: ok ? at : null,
        read_at: null,
        read_by: null,
        effective_at: null,
        cancelled_at: null,
        failed_reason: ok ? null : 'no citizen with this national code is registered',
        acknowledged_at: null,
        archived_at: null,
        starred: false,
      });
      placed.push({ recipient_id: r, state: ok ? 'DELIVERED' : 'FAILED' });
    }
    return placed;
  }

  override async insertDelivered(n: NewNotice, attachments: readonly AttachmentRef[], recipients: readonly string[], directory: 'projection' | 'any'): Promise<PlacedEntry[]> {
    await this.insertNotice(n, attachments);
    const placed = await this.deliver(n.noticeId, recipients, n.at, directory);
    if (placed.some((p) => p.state === 'DELIVERED')) await this.queueNotifications(n.noticeId);
    return placed;
  }

  override async findNotice(noticeId: string): Promise<NoticeRow | null> {
    return this.notices.get(noticeId) ?? null;
  }

  override async lockNotice(noticeId: string): Promise<{ agencyId: string } | null> {
    const n = this.notices.get(noticeId);
    return n ? { agencyId: n.agency_id } : null;
  }

  override async attachmentsOf(noticeId: string): Promise<NoticeAttachmentView[]> {
    return (this.attachments.get(noticeId) ?? []).map((a) => ({ ...a, mime: this.files.get(a.sha256)?.mime ?? 'application/octet-stream', size: this.files.get(a.sha256)?.size ?? 0 }));
  }

  override async entry(noticeId: string, recipientId: string): Promise<EntryRow | null> {
    const e = this.entries.get(noticeId)?.get(recipientId);
    return e ? { ...e } : null;
  }

  override async stateCounts(noticeId: string): Promise<{ state: RecipientState; n: number }[]> {
    const counts = new Map<RecipientState, number>();
    for (const e of this.entriesOf(noticeId)) counts.set(e.state, (counts.get(e.state) ?? 0) + 1);
    return [...counts].map(([state, n]) => ({ state, n }));
  }

  override async recipientsPage(noticeId: string, afterRecipient: string, state: RecipientState | null, limit: number): Promise<EntryRow[]> {
    return this.entriesOf(noticeId)
      .filter((e) => e.recipient_id > afterRecipient && (state === null || e.state === state))
      .sort((a, b) => (a.recipient_id < b.recipient_id ? -1 : 1))
      .slice(0, limit);
  }

  override async listByAgency(agencyId: string, after: { t: string; id: string } | null, limit: number): Promise<SentNoticeSummary[]> {
    return [...this.notices.values()]
      .filter((n) => n.agency_id === agencyId)
      .sort((a, b) => b.created_at.getTime() - a.created_at.getTime() || (a.notice_id < b.notice_id ? 1 : -1))
      .filter((n) => !after || n.created_at.getTime() < Date.parse(after.t) || (n.created_at.getTime() === Date.parse(after.t) && n.notice_id < after.id))
      .slice(0, limit);
  }

  override async firstNonCancellableState(noticeId: string): Promise<RecipientState | null> {
    return this.entriesOf(noticeId).find((e) => !['ACCEPTED', 'DELIVERED', 'CANCELLED', 'FAILED'].includes(e.state))?.state ?? null;
  }

  override async cancelEntries(noticeId: string, at: Date, states: readonly RecipientState[]): Promise<{ recipient_id: string; previous: RecipientState }[]> {
    const changed: { recipient_id: string; previous: RecipientState }[] = [];
    for (const e of this.entriesOf(noticeId)) {
      if (!states.includes(e.state)) continue;
      changed.push({ recipient_id: e.recipient_id, previous: e.state });
      e.state = 'CANCELLED';
      e.cancelled_at = at;
    }
    return changed;
  }

  override async markViewed(noticeId: string, recipientId: string, at: Date, reader: string): Promise<void> {
    const e = this.entries.get(noticeId)!.get(recipientId)!;
    e.state = 'VIEWED';
    e.read_at = at;
    e.read_by = reader;
  }

  override async agencyName(agencyId: string): Promise<string | null> {
    return this.agencyNames.get(agencyId) ?? null;
  }

  override async recordDownload(d: { noticeId: string; recipientId: string; sha256: string; reader: string; at: Date }): Promise<void> {
    this.downloads.push(d);
  }

  override async findDueEffective(cutoff: Date): Promise<{ notice_id: string; agency_id: string } | null> {
    for (const [noticeId, map] of this.entries) {
      for (const e of map.values()) {
        if (e.state === 'DELIVERED' && e.delivered_at && e.delivered_at <= cutoff) return { notice_id: noticeId, agency_id: this.notices.get(noticeId)!.agency_id };
      }
    }
    return null;
  }

  override async markEffective(noticeId: string, cutoff: Date, days: number, limit: number): Promise<string[]> {
    const out: string[] = [];
    for (const e of this.entriesOf(noticeId)) {
      if (out.length >= limit) break;
      if (e.state !== 'DELIVERED' || !e.delivered_at || e.delivered_at > cutoff) continue;
      e.state = 'EFFECTIVE';
      e.effective_at = new Date(e.delivered_at.getTime() + days * 86_400_000);
      out.push(e.recipient_id);
    }
    return out;
  }

  override async insertBatch(b: { batchId: string; noticeId: string; agencyId: string; recipients: readonly string[]; at: Date }, chunkSize: number): Promise<void> {
    this.batches.set(b.batchId, { batch_id: b.batchId, notice_id: b.noticeId, agency_id: b.agencyId, status: 'PENDING', total: b.recipients.length, processed: 0, delivered: 0, failed: 0, created_at: b.at, completed_at: null });
    const chunks = new Map<number, string[]>();
    for (let i = 0, n = 0; i < b.recipients.length; i += chunkSize, n++) chunks.set(n, b.recipients.slice(i, i + chunkSize));
    this.chunks.set(b.batchId, chunks);
  }

  override async batch(batchId: string): Promise<BatchRow | null> {
    const b = this.batches.get(batchId);
    return b ? { ...b } : null;
  }

  override async batchOfNotice(noticeId: string): Promise<BatchRow | null> {
    const b = [...this.batches.values()].find((x) => x.notice_id === noticeId);
    return b ? { ...b } : null;
  }

  override async claimBatch(): Promise<BatchRow | null> {
    const b = [...this.batches.values()].filter((x) => x.status === 'PENDING' || x.status === 'RUNNING').sort((x, y) => x.created_at.getTime() - y.created_at.getTime())[0];
    return b ? { ...b } : null;
  }

  override async nextChunk(batchId: string): Promise<{ chunkNo: number; recipients: string[] } | null> {
    const chunks = this.chunks.get(batchId);
    if (!chunks || chunks.size === 0) return null;
    const chunkNo = Math.min(...chunks.keys());
    return { chunkNo, recipients: [...chunks.get(chunkNo)!] };
  }

  override async finishChunk(batchId: string, chunkNo: number, processed: number, delivered: number, failed: number): Promise<void> {
    this.chunks.get(batchId)!.delete(chunkNo);
    const b = this.batches.get(batchId)!;
    b.processed += processed;
    b.delivered += delivered;
    b.failed += failed;
    b.status = 'RUNNING';
  }

  override async completeBatch(batchId: string, status: 'COMPLETED' | 'CANCELLED', at: Date): Promise<void> {
    this.chunks.get(batchId)?.clear();
    const b = this.batches.get(batchId)!;
    b.status = status;
    b.completed_at = at;
  }

  override async queueNotifications(noticeId: string): Promise<void> {
    this.notificationJobs.add(noticeId);
  }
}

export class InMemoryIdempotencyStore extends IdempotencyStore implements Restorable {
  records = new Map<string, IdempotencyRecord>();
  /** Keys whose lock another (still running) transaction holds. */
  heldElsewhere = new Set<string>();

  snapshot(): () => void {
    const saved = clone(this.records);
    return () => {
      this.records = saved;
    };
  }

  override async lock(agencyId: string, key: string): Promise<{ locked: boolean; record: IdempotencyRecord | null }> {
    if (this.heldElsewhere.has(`${agencyId}:${key}`)) return { locked: false, record: null };
    const r = this.records.get(`${agencyId}:${key}`) ?? this.othersCommitted.get(`${agencyId}:${key}`);
    return { locked: true, record: r ? clone(r) : null };
  }

  /** A record another transaction committed after this one's lock (the race save() must catch). */
  committedMeanwhile: IdempotencyRecord | null = null;
  /** Records of other transactions (a rollback of ours does not remove them). */
  private othersCommitted = new Map<string, IdempotencyRecord>();

  override async save(agencyId: string, key: string, record: IdempotencyRecord): Promise<boolean> {
    const k = `${agencyId}:${key}`;
    if (this.committedMeanwhile) {
      this.othersCommitted.set(k, this.committedMeanwhile);
      this.committedMeanwhile = null;
    }
    if (this.records.has(k) || this.othersCommitted.has(k)) return false;
    // Stored as JSON, as the adapter does (what a replay returns is what was serialised).
    this.records.set(k, { ...record, responseBody: JSON.parse(JSON.stringify(record.responseBody)) });
    return true;
  }
}

export class InMemoryAuditLog extends AuditLogRepository implements Restorable {
  chains = new Map<string, AuditEntry[]>();

  snapshot(): () => void {
    const saved = clone(this.chains);
    return () => {
      this.chains = saved;
    };
  }

  of(noticeId: string): AuditEntry[] {
    return this.chains.get(noticeId) ?? [];
  }

  override async append(noticeId: string, facts: readonly AuditFact[], head?: { seq: number; hash: string }): Promise<AuditEntry[]> {
    if (facts.length === 0) return [];
    const current = this.of(noticeId);
    const last = current[current.length - 1];
    const actual = last ? { seq: last.seq, hash: last.hash } : { seq: 0, hash: GENESIS_HASH };
    if (head && (head.seq !== actual.seq || head.hash !== actual.hash)) throw new Error('stale audit head');
    const entries = chain(actual, facts);
    this.chains.set(noticeId, [...current, ...entries]);
    return entries;
  }

  override async *entries(noticeId: string): AsyncGenerator<AuditEntry> {
    for (const e of this.of(noticeId)) yield e;
  }

  override async forRecipient(noticeId: string, recipientId: string): Promise<AuditEntry[]> {
    return this.of(noticeId).filter((e) => e.recipientId === recipientId || e.recipientId === null);
  }

  override async head(noticeId: string): Promise<{ seq: number; hash: string } | null> {
    const c = this.of(noticeId);
    const last = c[c.length - 1];
    return last ? { seq: last.seq, hash: last.hash } : null;
  }
}

export class InMemoryNoticeOutbox extends NoticeOutbox implements Restorable {
  events: (SerializedNoticeEvent & { key: string })[] = [];
  webhooks: (SerializedNoticeEvent & { agencyId: string })[] = [];
  callbackUrls = new Map<string, string>();

  snapshot(): () => void {
    const saved = { e: [...this.events], w: [...this.webhooks] };
    return () => {
      this.events = saved.e;
      this.webhooks = saved.w;
    };
  }

  types(): string[] {
    return this.events.map((e) => e.type);
  }

  override async append(key: string, _source: string, _at: string, events: readonly SerializedNoticeEvent[]): Promise<void> {
    this.events.push(...events.map((e) => ({ ...e, key })));
  }

  override async callbackUrlOf(agencyId: string): Promise<string | null> {
    return this.callbackUrls.get(agencyId) ?? null;
  }

  override async queueWebhooks(agencyId: string, _dueAt: string, events: readonly SerializedNoticeEvent[]): Promise<void> {
    this.webhooks.push(...events.map((e) => ({ ...e, agencyId })));
  }
}

export class InMemorySenderRepository extends SenderRepository implements Restorable {
  rows = new Map<string, SenderRow>();
  disabledAgencies = new Set<string>();

  snapshot(): () => void {
    const saved = clone(this.rows);
    return () => {
      this.rows = saved;
    };
  }

  /** A sender already in the given state (test setup). */
  put(agencyId: string, status: SenderAccessStatus, callbackUrl: string | null = null): void {
    const at = new Date('2026-11-01T00:00:00Z');
    this.rows.set(agencyId, { agency_id: agencyId, status, reason: null, callback_url: callbackUrl, callback_secret: callbackUrl ? 'secret' : null, requested_at: at, updated_at: at });
  }

  override async find(agencyId: string): Promise<SenderRow | null> {
    const r = this.rows.get(agencyId);
    return r ? { ...r } : null;
  }

  override async serialise(): Promise<void> {
    // One test drives one request at a time.
  }

  override async statusForSend(agencyId: string): Promise<SenderAccessStatus | null> {
    return (await this.forSend(agencyId)).status;
  }

  override async forSend(agencyId: string): Promise<{ status: SenderAccessStatus | null; callbackUrl: string | null }> {
    const r = this.rows.get(agencyId);
    if (!r) return { status: null, callbackUrl: null };
    return { status: this.disabledAgencies.has(agencyId) ? 'SUSPENDED' : r.status, callbackUrl: r.callback_url };
  }

  override async insert(agencyId: string, at: Date): Promise<void> {
    this.rows.set(agencyId, { agency_id: agencyId, status: 'REQUESTED', reason: null, callback_url: null, callback_secret: null, requested_at: at, updated_at: at });
  }

  override async setStatus(agencyId: string, status: SenderAccessStatus, reason: string | null, at: Date): Promise<void> {
    Object.assign(this.rows.get(agencyId)!, { status, reason, updated_at: at });
  }

  override async setCallback(agencyId: string, url: string | null, secret: string | null, at: Date): Promise<void> {
    Object.assign(this.rows.get(agencyId)!, { callback_url: url, callback_secret: secret, updated_at: at });
  }

  override async list(status: SenderAccessStatus | undefined, limit: number, after: string | undefined): Promise<SenderRow[]> {
    return [...this.rows.values()]
      .filter((r) => (!status || r.status === status) && (!after || r.agency_id > after))
      .sort((a, b) => (a.agency_id < b.agency_id ? -1 : 1))
      .slice(0, limit);
  }
}

export class InMemoryAttachmentUploads extends AttachmentUploads {
  /** agency → sha256 → size */
  uploads = new Map<string, Map<string, number>>();

  override async record(agencyId: string, sha256: string): Promise<void> {
    if (!this.uploads.has(agencyId)) this.uploads.set(agencyId, new Map());
    this.uploads.get(agencyId)!.set(sha256, this.uploads.get(agencyId)!.get(sha256) ?? 0);
  }

  override async sizesUploadedBy(agencyId: string, sha256s: readonly string[]): Promise<Map<string, number>> {
    const mine = this.uploads.get(agencyId) ?? new Map<string, number>();
    return new Map(sha256s.filter((s) => mine.has(s)).map((s) => [s, mine.get(s)!]));
  }
}

/** The defaults, with `overrides` (as the validated env would hold them). */
export function testEnv(overrides: Partial<KarpooshehEnv> = {}): KarpooshehEnv {
  return Object.assign(new KarpooshehEnv(), overrides);
}

/** The n-th valid national code (check digit computed), for test recipients. */
export function nationalCode(n: number): string {
  const body = String(100_000_000 + n).slice(-9);
  for (let d = 0; d <= 9; d++) if (isValidNationalCode(body + d)) return body + d;
  throw new Error(`no check digit for ${body}`);
}

/** The admission read composed from the two fakes it combines. */
export class InMemorySendAdmission extends SendAdmission {
  constructor(
    private readonly idempotency: InMemoryIdempotencyStore,
    private readonly senders: InMemorySenderRepository,
  ) {
    super();
  }

  override async admit(agencyId: string, key: string): Promise<Admission> {
    const { locked, record } = await this.idempotency.lock(agencyId, key);
    if (!locked) return { locked, record, sender: { status: null, callbackUrl: null } };
    return { locked, record, sender: await this.senders.forSend(agencyId) };
  }
}

/**
 * The direct send's one operation over the fakes: admission as InMemorySendAdmission decides it,
 * then every write, or none (the fakes are restored when a step throws, as a rollback would).
 */
export class InMemoryDirectSendStore extends DirectSendStore {
  constructor(
    private readonly idempotency: InMemoryIdempotencyStore,
    private readonly senders: InMemorySenderRepository,
    private readonly notices: InMemoryNoticeRepository,
    private readonly audit: InMemoryAuditLog,
    private readonly outbox: InMemoryNoticeOutbox,
  ) {
    super();
  }

  override async knownCitizens(nationalCodes: readonly string[]): Promise<Set<string>> {
    return new Set(nationalCodes.filter((c) => this.notices.citizens.has(c)));
  }

  override async admitAndWrite(w: DirectSendWrite): Promise<DirectSendOutcome> {
    const { locked, record } = await this.idempotency.lock(w.agencyId, w.idempotencyKey);
    if (!locked) return { kind: 'in-flight' };
    if (record) return { kind: 'recorded', record };
    const sender = await this.senders.forSend(w.agencyId);
    if (sender.status !== 'GRANTED') return { kind: 'refused', senderStatus: sender.status };
    if (!(await this.idempotency.save(w.agencyId, w.idempotencyKey, w.record))) return { kind: 'raced' };
    await this.notices.insertNotice(w.notice, w.attachments);
    const entries = this.notices.entries.get(w.notice.noticeId)!;
    for (const e of w.entries) {
      const delivered = e.state === 'DELIVERED';
      entries.set(e.recipientId, {
        notice_id: w.notice.noticeId,
        recipient_id: e.recipientId,
        state: e.state,
        created_at: w.notice.at,
        delivered_at: delivered ? w.notice.at : null,
        read_at: null,
        read_by: null,
        effective_at: null,
        cancelled_at: null,
        failed_reason: e.failedReason,
        acknowledged_at: null,
        archived_at: null,
        starred: false,
      });
    }
    if (w.notify) await this.notices.queueNotifications(w.notice.noticeId);
    this.audit.chains.set(w.notice.noticeId, [...w.audit]);
    await this.outbox.append(w.notice.noticeId, w.source, w.notice.at.toISOString(), w.events);
    if (sender.callbackUrl) await this.outbox.queueWebhooks(w.agencyId, w.notice.at.toISOString(), w.events.filter((_, i) => w.webhook[i]));
    return { kind: 'written' };
  }
}
