// In-memory fakes of gsb-workflow's repository ports, for use-case unit tests (no I/O).
import type { EntityManager } from 'typeorm';
import type { OutboxWriter, OutgoingEvent } from '@darvazeh/messaging';
import type { CatalogService } from '../catalog/domain/catalog-service.js';
import { GsbError } from '../shared/domain/gsb.errors.js';
import { CatalogRepository, type CatalogSearch } from '../catalog/domain/catalog.repository.js';
import { ConnectionRepository, type Connection } from '../connections/domain/connection.repository.js';
import type { Grant } from '../grants/domain/grant.js';
import { GrantRepository, type GrantListFilter } from '../grants/domain/grant.repository.js';
import type { HistoryEntry, RequestRecord } from '../requests/domain/request.js';
import { RequestFactsRepository, type RequestFactsSnapshot } from '../requests/domain/request-facts.repository.js';
import { RequestRepository, type QueueFilter, type StepEvents, type StepWrite, type StoredLetterFile } from '../requests/domain/request.repository.js';

/** A store whose rows a failed "transaction" puts back as they were. */
interface Snapshotting {
  snapshot(): () => void;
}

// The shared in-memory runner (libs/testing), under the name this app's tests use.
export { InMemoryTransactionRunner as FakeTransactionRunner } from '@darvazeh/testing';

/** What FakeOutbox.render returns: the events themselves, kept by the fake commitStep if it writes. */
export interface FakeRenderedEvents extends StepEvents {
  events: OutgoingEvent[];
}

export class FakeOutbox implements Snapshotting {
  events: OutgoingEvent[] = [];
  /** How many times a caller said its own statement wrote rows (`written`). */
  writtenCalls = 0;
  render(events: OutgoingEvent[]): FakeRenderedEvents {
    return { events: [...events], count: events.length, params: [], sql: () => '' };
  }
  written(): void {
    this.writtenCalls++;
  }
  async append(_manager: EntityManager, events: OutgoingEvent[]): Promise<string[]> {
    this.events.push(...events);
    return events.map((_, i) => `evt-${this.events.length + i}`);
  }
  snapshot(): () => void {
    const copy = [...this.events];
    return () => {
      this.events = copy;
    };
  }
  asWriter(): OutboxWriter {
    return this as unknown as OutboxWriter;
  }
}

const clone = <T>(v: T): T => structuredClone(v);

class MapStore<T> implements Snapshotting {
  rows = new Map<string, T>();
  snapshot(): () => void {
    const copy = new Map([...this.rows].map(([k, v]) => [k, clone(v)]));
    return () => {
      this.rows = copy;
    };
  }
}

export class InMemoryCatalogRepository extends CatalogRepository {
  readonly store = new MapStore<CatalogService>();
  async find(code: string): Promise<CatalogService | null> {
    const s = this.store.rows.get(code);
    return s ? clone(s) : null;
  }
  async insert(s: CatalogService): Promise<boolean> {
    if (this.store.rows.has(s.code)) return false;
    this.store.rows.set(s.code, clone(s));
    return true;
  }
  async update(s: CatalogService): Promise<void> {
    this.store.rows.set(s.code, clone(s));
  }
  async search(q: CatalogSearch): Promise<CatalogService[]> {
    return [...this.store.rows.values()]
      .filter((s) => (!q.status || s.status === q.status) && (!q.providerAgencyId || s.providerAgencyId === q.providerAgencyId) && (!q.after || s.code > q.after))
      .filter((s) => !q.environment || (s.environments as string[]).includes(q.environment))
      .sort((a, b) => a.code.localeCompare(b.code))
      .slice(0, q.limit + 1)
      .map(clone);
  }
}

export class InMemoryConnectionRepository extends ConnectionRepository {
  readonly store = new MapStore<Connection>();
  async activeEnvironments(agencyId: string): Promise<string[]> {
    return [...this.store.rows.values()].filter((c) => c.agencyId === agencyId && c.status === 'ACTIVE').map((c) => c.environment).sort();
  }
  async list(agencyId: string | null): Promise<Connection[]> {
    return [...this.store.rows.values()].filter((c) => agencyId === null || c.agencyId === agencyId).map(clone);
  }
  async activate(c: Connection): Promise<void> {
    this.store.rows.set(`${c.agencyId}/${c.environment}`, clone({ ...c, status: 'ACTIVE' }));
  }
}

export class InMemoryGrantRepository extends GrantRepository {
  readonly store = new MapStore<Grant>();
  async insert(g: Grant): Promise<void> {
    // The database's grants_live_key: one live grant per (agency, service, environment).
    if (g.status !== 'REVOKED' && (await this.live(g.consumerAgencyId, g.serviceCode, g.environment))) throw new Error('duplicate key value violates unique constraint "grants_live_key"');
    this.store.rows.set(g.id, clone(g));
  }
  async save(g: Grant): Promise<void> {
    this.store.rows.set(g.id, clone(g));
  }
  async get(id: string): Promise<Grant | null> {
    const g = this.store.rows.get(id);
    return g ? clone(g) : null;
  }
  async live(consumerAgencyId: string, serviceCode: string, environment: string): Promise<Grant | null> {
    const g = [...this.store.rows.values()].find((x) => x.consumerAgencyId === consumerAgencyId && x.serviceCode === serviceCode && x.environment === environment && x.status !== 'REVOKED');
    return g ? clone(g) : null;
  }
  async list(f: GrantListFilter): Promise<Grant[]> {
    return [...this.store.rows.values()]
      .filter((g) => f.agencyId === null || g.consumerAgencyId === f.agencyId || g.providerAgencyId === f.agencyId)
      .filter((g) => (!f.status || g.status === f.status) && (!f.serviceCode || g.serviceCode === f.serviceCode) && (!f.afterId || g.id < f.afterId))
      .sort((a, b) => b.id.localeCompare(a.id))
      .slice(0, f.limit + 1)
      .map(clone);
  }
}

const OPEN_STATES = ['SUBMITTED', 'IN_REVIEW', 'RETURNED', 'PENDING_SECOND_APPROVAL'];

export class InMemoryRequestRepository extends RequestRepository {
  readonly store = new MapStore<RequestRecord>();
  readonly historyStore = new MapStore<HistoryEntry[]>();
  readonly files = new MapStore<StoredLetterFile>();

  /** The stores a step's one statement also writes (gsbWorld links them). */
  constructor(private readonly others: { outbox?: FakeOutbox; grants?: InMemoryGrantRepository; connections?: InMemoryConnectionRepository } = {}) {
    super();
  }

  /** Before the next commitStep of this request applies, `change` runs (another caller's write in between). */
  interleave(id: string, change: (r: RequestRecord) => void): void {
    this.interleaved.set(id, change);
  }
  private readonly interleaved = new Map<string, (r: RequestRecord) => void>();

  async commitStep(w: StepWrite): Promise<boolean> {
    const r = w.request;
    const between = this.interleaved.get(r.id);
    if (between) {
      this.interleaved.delete(r.id);
      const stored = this.store.rows.get(r.id)!;
      between(stored);
      stored.version += 1;
    }
    if (w.readVersion === null) {
      if (this.store.rows.has(r.id)) throw new Error(`duplicate request ${r.id}`);
    } else if (this.store.rows.get(r.id)?.version !== w.readVersion) {
      return false;
    }
    // All or nothing, as the one statement: the only failure (the grants_live_key) is checked first.
    const g = w.grant;
    if (g && this.others.grants && (await this.others.grants.live(g.consumerAgencyId, g.serviceCode, g.environment))) {
      throw new GsbError('GSB.GRANT_EXISTS', 'conflict', 'the agency already holds a live grant for this service and environment');
    }
    this.store.rows.set(r.id, clone(r));
    if (w.letterFile) this.files.rows.set(r.id, { ...w.letterFile, bytes: Buffer.from(w.letterFile.bytes) });
    if (g) await this.others.grants?.insert(g);
    for (const c of w.connections ?? []) await this.others.connections?.activate(c);
    this.appendHistory(r.id, w.history);
    if (w.events) this.others.outbox?.events.push(...(w.events as FakeRenderedEvents).events);
    return true;
  }

  async insertWithHistory(r: RequestRecord, h: HistoryEntry): Promise<void> {
    if (this.store.rows.has(r.id)) throw new Error(`duplicate request ${r.id}`);
    this.store.rows.set(r.id, clone(r));
    this.appendHistory(r.id, h);
  }
  async save(r: RequestRecord): Promise<void> {
    if (!this.store.rows.has(r.id)) throw new Error(`no request ${r.id}`);
    this.store.rows.set(r.id, clone(r));
  }
  async saveWithHistory(r: RequestRecord, h: HistoryEntry, f?: StoredLetterFile): Promise<void> {
    await this.save(r);
    if (f) this.files.rows.set(r.id, { ...f, bytes: Buffer.from(f.bytes) });
    this.appendHistory(r.id, h);
  }
  async get(id: string): Promise<RequestRecord | null> {
    const r = this.store.rows.get(id);
    return r ? clone(r) : null;
  }
  private appendHistory(requestId: string, h: HistoryEntry): void {
    this.historyStore.rows.set(requestId, [...(this.historyStore.rows.get(requestId) ?? []), clone(h)]);
  }
  async history(requestId: string): Promise<HistoryEntry[]> {
    return clone(this.historyStore.rows.get(requestId) ?? []);
  }
  async openSame(r: RequestRecord): Promise<string | null> {
    const other = [...this.store.rows.values()].find(
      (x) => x.id !== r.id && x.agencyId === r.agencyId && x.kind === r.kind && OPEN_STATES.includes(x.state) && (r.kind === 'CONNECTION' || (x.serviceCode === r.serviceCode && x.environment === r.environment)),
    );
    return other?.id ?? null;
  }
  async listForAgency(agencyId: string | null, f: { state?: string; kind?: string; afterId?: string; limit: number }): Promise<RequestRecord[]> {
    return [...this.store.rows.values()]
      .filter((r) => (agencyId === null || r.agencyId === agencyId) && (!f.state || r.state === f.state) && (!f.kind || r.kind === f.kind) && (!f.afterId || r.id < f.afterId))
      .sort((a, b) => b.id.localeCompare(a.id))
      .slice(0, f.limit + 1)
      .map(clone);
  }
  async queue(f: QueueFilter): Promise<RequestRecord[]> {
    return [...this.store.rows.values()]
      .filter((r) => f.states.includes(r.state) && (!f.kind || r.kind === f.kind) && (!f.agencyId || r.agencyId === f.agencyId) && (!f.priority || r.priority === f.priority))
      .sort((a, b) => (a.submittedAt?.getTime() ?? 0) - (b.submittedAt?.getTime() ?? 0) || a.id.localeCompare(b.id))
      .slice(0, f.limit + 1)
      .map(clone);
  }
  async overdue(now: Date, limit: number): Promise<RequestRecord[]> {
    return [...this.store.rows.values()]
      .filter(
        (r) =>
          (r.state === 'SUBMITTED' && !r.claimEscalatedAt && r.claimDueAt !== null && r.claimDueAt <= now) ||
          (['SUBMITTED', 'IN_REVIEW', 'PENDING_SECOND_APPROVAL'].includes(r.state) && !r.decisionEscalatedAt && r.decisionDueAt !== null && r.decisionDueAt <= now),
      )
      .slice(0, limit)
      .map(clone);
  }
  async letterFile(requestId: string): Promise<StoredLetterFile | null> {
    return this.files.rows.get(requestId) ?? null;
  }
}

/** The one-statement lookup, answered from the other in-memory stores. */
export class InMemoryRequestFactsRepository extends RequestFactsRepository {
  constructor(
    private readonly catalog: InMemoryCatalogRepository,
    private readonly connections: InMemoryConnectionRepository,
    private readonly grants: InMemoryGrantRepository,
    private readonly requests: InMemoryRequestRepository,
  ) {
    super();
  }
  async requestWithFacts(id: string): Promise<{ request: RequestRecord; facts: RequestFactsSnapshot } | null> {
    const request = await this.requests.get(id);
    return request && { request, facts: await this.lookup(request) };
  }
  async lookup(r: RequestRecord): Promise<RequestFactsSnapshot> {
    return {
      service: r.serviceCode ? await this.catalog.find(r.serviceCode) : null,
      connectedEnvironments: await this.connections.activeEnvironments(r.agencyId),
      activeGrant: r.serviceCode && r.environment ? (await this.grants.live(r.agencyId, r.serviceCode, r.environment)) !== null : false,
      openRequestId: await this.requests.openSame(r),
    };
  }
}
