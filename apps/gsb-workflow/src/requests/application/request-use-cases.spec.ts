import { beforeEach, describe, expect, it } from '@jest/globals';
import { GSB_GRANT_ISSUED_V1, GSB_REQUEST_EDITED_V1, GSB_REQUEST_TRANSITIONED_V1 } from '@darvazeh/contracts';
import type { Actor } from '../../shared/domain/actor.js';
import { gsbWorld, type GsbWorld } from '../../testing/gsb-world.js';

const PROVIDER = '00000000-0000-4000-8000-0000000000a1';
const AGENCY = '11111111-1111-4111-8111-111111111111';
const OTHER = '22222222-2222-4222-8222-222222222222';
const applicant: Actor & { agencyId: string } = { subject: 'agency-user', roles: ['agency'], agencyId: AGENCY };
const stranger: Actor & { agencyId: string } = { subject: 'other-user', roles: ['agency'], agencyId: OTHER };
const expert: Actor = { subject: 'expert-1', roles: ['expert'] };
const expert2: Actor = { subject: 'expert-2', roles: ['expert'] };
const PDF = Buffer.concat([Buffer.from('%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<<>>\n%%EOF\n'), Buffer.alloc(200, 32)]);

const complete = (environment: 'GSB' | 'PGSB' = 'GSB') => ({
  environment,
  serviceCode: 'hamta.imei-status',
  system: { name: 'سامانه', purpose: 'استعلام', ipAddresses: ['10.1.2.3'] },
  letter: { number: '123/ص', date: '2026-11-01', issuingAgencyId: PROVIDER },
  contact: { name: 'رابط', email: 'a@b.ir', phone: '09121234567' },
});

async function connect(w: GsbWorld, agencyId: string, ...envs: ('GSB' | 'PGSB')[]) {
  for (const environment of envs) {
    await w.connections.activate({ agencyId, environment, status: 'ACTIVE', requestId: null, ipRanges: ['10.0.0.0/8'], credential: { type: 'CLIENT_CREDENTIALS', ref: 'x' }, activatedAt: new Date() });
  }
}

/** A complete service request, letter uploaded, still a draft. */
async function readyDraft(w: GsbWorld, environment: 'GSB' | 'PGSB' = 'GSB') {
  const r = await w.createRequest.execute(applicant, 'SERVICE', complete(environment));
  await w.uploadLetter.execute(applicant, r.id, { bytes: PDF, fileName: 'letter.pdf' });
  return r;
}

const types = (w: GsbWorld) => w.outbox.events.map((e) => e.type);

describe('request use cases (in-memory ports)', () => {
  let w: GsbWorld;
  beforeEach(async () => {
    w = gsbWorld();
    await w.seedCatalog.execute();
    w.outbox.events = [];
  });

  it('stops a service request of an agency without a connection (steps 4–5) and writes nothing', async () => {
    await expect(w.createRequest.execute(applicant, 'SERVICE', complete())).rejects.toMatchObject({ code: 'GSB.NOT_CONNECTED' });
    expect(w.requests.store.rows.size).toBe(0);
    expect(w.outbox.events).toHaveLength(0);
  });

  it('creates a draft with its history entry and transitioned event, the provider taken from the catalog', async () => {
    await connect(w, AGENCY, 'GSB');
    const r = await w.createRequest.execute(applicant, 'SERVICE', complete());
    expect([r.state, r.providerAgencyId]).toEqual(['DRAFT', PROVIDER]);
    expect((await w.requests.history(r.id)).map((h) => [h.action, h.fromState, h.toState])).toEqual([['create', null, 'DRAFT']]);
    expect(w.outbox.events).toEqual([expect.objectContaining({ type: GSB_REQUEST_TRANSITIONED_V1, subject: r.id })]);
  });

  it('refuses a submit with deficiencies, listing them (422), and changes nothing', async () => {
    await connect(w, AGENCY, 'GSB');
    const r = await w.createRequest.execute(applicant, 'SERVICE', { ...complete(), contact: null });
    const before = w.outbox.events.length;
    const err = await w.takeStep.execute(applicant, r.id, 'submit').catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'GSB.REQUEST_INCOMPLETE', kind: 'rule_violation' });
    const fields = (err as { errors: { field: string; code: string }[] }).errors.map((d) => d.code);
    expect(fields).toEqual(expect.arrayContaining(['LETTER_FILE_MISSING', 'CONTACT_NAME_MISSING']));
    expect((await w.requests.get(r.id))?.state).toBe('DRAFT');
    expect(await w.requests.history(r.id)).toHaveLength(1);
    expect(w.outbox.events).toHaveLength(before);
  });

  it('walks draft → submit → claim → evaluate → approve and issues one grant on gsb.grants', async () => {
    await connect(w, AGENCY, 'GSB');
    const r = await readyDraft(w);
    expect((await w.takeStep.execute(applicant, r.id, 'submit')).request.state).toBe('SUBMITTED');
    const submitted = (await w.requests.get(r.id))!;
    expect(submitted.claimDueAt).not.toBeNull();
    expect(submitted.decisionDueAt).not.toBeNull();
    await w.takeStep.execute(expert, r.id, 'claim');
    await w.recordEvaluation.execute(expert, r.id, { qualified: true, notes: 'ok', priority: 'HIGH' });
    const approved = await w.takeStep.execute(expert, r.id, 'approve');
    expect(approved.request.state).toBe('APPROVED');
    expect(approved.grant).toMatchObject({ consumerAgencyId: AGENCY, providerAgencyId: PROVIDER, serviceCode: 'hamta.imei-status', environment: 'GSB', status: 'ACTIVE' });
    expect(approved.grant?.quotaPerMinute).toBe(w.settings.grantDefaults.quotaPerMinute);
    expect(w.grants.store.rows.size).toBe(1);
    expect(types(w).filter((t) => t === GSB_GRANT_ISSUED_V1)).toHaveLength(1);
    const history = await w.requestQueries.history(applicant, r.id);
    expect(history.map((h) => h.action)).toEqual(['create', 'edit', 'submit', 'claim', 'evaluate', 'approve']);
    expect(history.at(-1)).toMatchObject({ fromState: 'IN_REVIEW', toState: 'APPROVED', actor: 'expert-1', actorRole: 'expert' });
  });

  it('a second request for a service the agency already holds is a DUPLICATE_ACTIVE_GRANT deficiency', async () => {
    await connect(w, AGENCY, 'GSB');
    const r = await readyDraft(w);
    await w.takeStep.execute(applicant, r.id, 'submit');
    await w.takeStep.execute(expert, r.id, 'claim');
    await w.recordEvaluation.execute(expert, r.id, { qualified: true, notes: '', priority: 'NORMAL' });
    await w.takeStep.execute(expert, r.id, 'approve');
    const again = await readyDraft(w);
    expect((await w.requestQueries.deficiencies(applicant, again.id)).map((d) => d.code)).toContain('DUPLICATE_ACTIVE_GRANT');
  });

  it('approval needs the claimant and an evaluation; a refused approve leaves no grant', async () => {
    await connect(w, AGENCY, 'GSB');
    const r = await readyDraft(w);
    await w.takeStep.execute(applicant, r.id, 'submit');
    await w.takeStep.execute(expert, r.id, 'claim');
    await expect(w.takeStep.execute(expert, r.id, 'approve')).rejects.toMatchObject({ code: 'GSB.NOT_EVALUATED' });
    await expect(w.takeStep.execute(expert2, r.id, 'approve')).rejects.toMatchObject({ code: 'GSB.NOT_CLAIMANT' });
    expect(w.grants.store.rows.size).toBe(0);
    expect((await w.requests.get(r.id))?.state).toBe('IN_REVIEW');
  });

  it('four eyes on PGSB: the first approval waits for a second, different expert', async () => {
    await connect(w, AGENCY, 'PGSB');
    const r = await readyDraft(w, 'PGSB');
    await w.takeStep.execute(applicant, r.id, 'submit');
    await w.takeStep.execute(expert, r.id, 'claim');
    await w.recordEvaluation.execute(expert, r.id, { qualified: true, notes: '', priority: 'NORMAL' });
    expect((await w.takeStep.execute(expert, r.id, 'approve')).request.state).toBe('PENDING_SECOND_APPROVAL');
    expect(w.grants.store.rows.size).toBe(0);
    await expect(w.takeStep.execute(expert, r.id, 'approve')).rejects.toMatchObject({ code: 'GSB.SECOND_APPROVER_REQUIRED' });
    const final = await w.takeStep.execute(expert2, r.id, 'approve');
    expect(final.request.state).toBe('APPROVED');
    expect(final.grant?.environment).toBe('PGSB');
  });

  it('return for correction: the applicant edits the returned request and sends it again', async () => {
    await connect(w, AGENCY, 'GSB');
    const r = await readyDraft(w);
    await w.takeStep.execute(applicant, r.id, 'submit');
    await w.takeStep.execute(expert, r.id, 'claim');
    await expect(w.takeStep.execute(expert, r.id, 'return', { fixes: [] })).rejects.toMatchObject({ code: 'GSB.FIXES_REQUIRED' });
    const returned = await w.takeStep.execute(expert, r.id, 'return', { fixes: [{ field: 'letter.number', message: 'شماره نامه خوانا نیست' }] });
    expect(returned.request).toMatchObject({ state: 'RETURNED', claimedBy: null, fixes: [{ field: 'letter.number', message: 'شماره نامه خوانا نیست' }] });
    await w.updateRequest.execute(applicant, r.id, { letter: { number: '124/ص' } });
    expect((await w.requests.get(r.id))?.draft.letter).toMatchObject({ number: '124/ص', date: '2026-11-01' });
    expect((await w.takeStep.execute(applicant, r.id, 'submit')).request).toMatchObject({ state: 'SUBMITTED', fixes: null });
  });

  it('records each PATCH that changes something as an edit: who, when, which fields, state unchanged — and publishes it', async () => {
    await connect(w, AGENCY, 'GSB');
    const r = await w.createRequest.execute(applicant, 'SERVICE', { environment: 'GSB' });
    w.outbox.events = [];
    const edited = await w.updateRequest.execute(applicant, r.id, { serviceCode: 'ocsp.status', contact: { email: 'a@b.ir', phone: '09121234567' } });
    expect(edited.version).toBe(2);
    const h = (await w.requests.history(r.id)).at(-1)!;
    expect(h).toMatchObject({ action: 'edit', actor: 'agency-user', actorRole: 'agency', fromState: 'DRAFT', toState: 'DRAFT', comment: null, details: { fields: ['contact.email', 'contact.phone', 'serviceCode'] } });
    expect(w.outbox.events).toHaveLength(1);
    expect(w.outbox.events[0]).toMatchObject({ type: GSB_REQUEST_EDITED_V1, subject: r.id, data: { requestId: r.id, state: 'DRAFT', fields: ['contact.email', 'contact.phone', 'serviceCode'], actor: 'agency-user', version: 2 } });
    expect(JSON.stringify(w.outbox.events[0].data)).not.toContain('a@b.ir');
  });

  it('a PATCH that changes nothing writes no history and no event', async () => {
    await connect(w, AGENCY, 'GSB');
    const r = await w.createRequest.execute(applicant, 'SERVICE', complete());
    w.outbox.events = [];
    const same = await w.updateRequest.execute(applicant, r.id, { environment: 'GSB', letter: { number: '123/ص' } });
    expect(same.version).toBe(1);
    expect(await w.requests.history(r.id)).toHaveLength(1);
    expect(w.outbox.events).toHaveLength(0);
  });

  it('a letter upload is an edit naming the file (type, size, digest), never its bytes', async () => {
    await connect(w, AGENCY, 'GSB');
    const r = await w.createRequest.execute(applicant, 'SERVICE', complete());
    w.outbox.events = [];
    const info = await w.uploadLetter.execute(applicant, r.id, { bytes: PDF, fileName: 'letter.pdf' });
    const h = (await w.requests.history(r.id)).at(-1)!;
    expect(h).toMatchObject({ action: 'edit', fromState: 'DRAFT', toState: 'DRAFT', details: { fields: ['letterFile'], letterFile: info } });
    expect(JSON.stringify(h)).not.toContain('PDF-1.4');
    expect(w.outbox.events.map((e) => [e.type, (e.data as { fields: string[] }).fields])).toEqual([[GSB_REQUEST_EDITED_V1, ['letterFile']]]);
  });

  it('an edit of a submitted request is refused (409) and recorded nowhere', async () => {
    await connect(w, AGENCY, 'GSB');
    const r = await readyDraft(w);
    await w.takeStep.execute(applicant, r.id, 'submit');
    const entries = (await w.requests.history(r.id)).length;
    const events = w.outbox.events.length;
    await expect(w.updateRequest.execute(applicant, r.id, { serviceCode: 'ocsp.status' })).rejects.toMatchObject({ code: 'GSB.REQUEST_NOT_EDITABLE' });
    await expect(w.uploadLetter.execute(applicant, r.id, { bytes: PDF, fileName: null })).rejects.toMatchObject({ code: 'GSB.REQUEST_NOT_EDITABLE' });
    expect(await w.requests.history(r.id)).toHaveLength(entries);
    expect(w.outbox.events).toHaveLength(events);
  });

  it('an agency neither sees nor edits another agency’s request (404, not 403)', async () => {
    await connect(w, AGENCY, 'GSB');
    const r = await readyDraft(w);
    await expect(w.requestQueries.get(stranger, r.id)).rejects.toMatchObject({ code: 'GSB.REQUEST_NOT_FOUND' });
    await expect(w.requestQueries.history(stranger, r.id)).rejects.toMatchObject({ code: 'GSB.REQUEST_NOT_FOUND' });
    await expect(w.updateRequest.execute(stranger, r.id, { serviceCode: 'ocsp.status' })).rejects.toMatchObject({ code: 'GSB.REQUEST_NOT_FOUND' });
    await expect(w.takeStep.execute(stranger, r.id, 'submit')).rejects.toMatchObject({ code: 'GSB.REQUEST_NOT_FOUND' });
    expect((await w.requestQueries.list(stranger, { limit: 10 })).items).toHaveLength(0);
    expect((await w.requestQueries.list(applicant, { limit: 10 })).items.map((x) => x.id)).toEqual([r.id]);
  });

  it('a letter that is not a PDF or an image is refused (415) and nothing is stored', async () => {
    await connect(w, AGENCY, 'GSB');
    const r = await w.createRequest.execute(applicant, 'SERVICE', complete());
    await expect(w.uploadLetter.execute(applicant, r.id, { bytes: Buffer.from('just some text, not a scan'), fileName: 'letter.pdf' })).rejects.toMatchObject({
      code: 'GSB.LETTER_FILE_TYPE',
      kind: 'unsupported_media_type',
    });
    expect(w.requests.files.rows.size).toBe(0);
    expect((await w.requests.get(r.id))?.letterFile).toBeNull();
  });

  it('a connection request, once approved, activates the agency’s connection', async () => {
    const r = await w.createRequest.execute(applicant, 'CONNECTION', {
      connectionEnvironments: ['GSB'],
      systems: [{ name: 'سامانه', purpose: 'تبادل', ipAddresses: ['10.1.2.3'] }],
      ipRanges: ['10.1.0.0/16'],
      credential: { type: 'CLIENT_CREDENTIALS', clientId: 'agency-client' },
      contact: { name: 'رابط', email: 'a@b.ir', phone: '021-88776655' },
    });
    await w.takeStep.execute(applicant, r.id, 'submit');
    await w.takeStep.execute(expert, r.id, 'claim');
    await w.recordEvaluation.execute(expert, r.id, { qualified: true, notes: '', priority: 'NORMAL' });
    await w.takeStep.execute(expert, r.id, 'approve');
    expect(await w.connections.activeEnvironments(AGENCY)).toEqual(['GSB']);
    expect((await w.connectionQueries.list(stranger)).length).toBe(0);
    expect((await w.connectionQueries.list(applicant)).map((c) => c.credential)).toEqual([{ type: 'CLIENT_CREDENTIALS', ref: 'agency-client' }]);
  });

  it('escalates an unclaimed request once, when its claim SLA has passed', async () => {
    await connect(w, AGENCY, 'GSB');
    const r = await readyDraft(w);
    await w.takeStep.execute(applicant, r.id, 'submit');
    const later = new Date(Date.now() + 30 * 86_400_000);
    expect(await w.escalateOverdue.execute(later)).toEqual([
      { requestId: r.id, sla: 'CLAIM' },
      { requestId: r.id, sla: 'DECISION' },
    ]);
    expect(await w.escalateOverdue.execute(later)).toEqual([]);
    expect((await w.requests.history(r.id)).at(-1)).toMatchObject({ action: 'escalate', actor: 'system', fromState: 'SUBMITTED', toState: 'SUBMITTED' });
  });
});

describe('grant and catalog use cases (in-memory ports)', () => {
  let w: GsbWorld;
  beforeEach(async () => {
    w = gsbWorld();
    await w.seedCatalog.execute();
  });

  it('seeds each platform service under its configured provider, else the common one, else the placeholder', async () => {
    const HAMTA = '33333333-3333-4333-8333-333333333333';
    const COMMON = '44444444-4444-4444-8444-444444444444';
    const configured = gsbWorld({ CATALOG_SEED_PROVIDER_AGENCY_ID: COMMON, CATALOG_SEED_HAMTA_PROVIDER_AGENCY_ID: HAMTA });
    await configured.seedCatalog.execute();
    expect([...configured.catalog.store.rows.values()].map((s) => [s.code, s.providerAgencyId]).sort()).toEqual([
      ['hamta.imei-status', HAMTA],
      ['karpoosheh.send-notice', COMMON],
      ['ocsp.status', COMMON],
    ]);
    expect(configured.settings.seed.placeholderProviders).toEqual([]);
    expect(w.settings.seed.placeholderProviders).toEqual(['hamta.imei-status', 'karpoosheh.send-notice', 'ocsp.status']);
  });

  it('a step whose request changed between its read and its write is decided again on a fresh read', async () => {
    await connect(w, AGENCY, 'GSB');
    const r = await readyDraft(w);
    await w.takeStep.execute(applicant, r.id, 'submit');
    // Another expert's claim lands in between: the retried claim sees IN_REVIEW and is refused, nothing of it written.
    w.requests.interleave(r.id, (stored) => Object.assign(stored, { state: 'IN_REVIEW', claimedBy: expert2.subject }));
    const events = w.outbox.events.length;
    await expect(w.takeStep.execute(expert, r.id, 'claim')).rejects.toMatchObject({ code: 'GSB.TRANSITION_NOT_ALLOWED' });
    expect((await w.requests.get(r.id))?.claimedBy).toBe(expert2.subject);
    expect((await w.requests.history(r.id)).map((h) => h.action)).toEqual(['create', 'edit', 'submit']);
    expect(w.outbox.events).toHaveLength(events);
  });

  it('an escalation written between a step\'s read and write is kept: the step retries on the new version', async () => {
    await connect(w, AGENCY, 'GSB');
    const r = await readyDraft(w);
    await w.takeStep.execute(applicant, r.id, 'submit');
    const at = new Date('2026-12-01T10:00:00Z');
    w.requests.interleave(r.id, (stored) => (stored.claimEscalatedAt = at));
    const claimed = await w.takeStep.execute(expert, r.id, 'claim');
    expect(claimed.request.state).toBe('IN_REVIEW');
    const stored = (await w.requests.get(r.id))!;
    expect([stored.state, stored.claimEscalatedAt?.toISOString(), stored.version]).toEqual(['IN_REVIEW', at.toISOString(), claimed.request.version]);
    expect(w.outbox.writtenCalls).toBeGreaterThan(0);
  });

  it('seeding twice adds each platform service once', async () => {
    expect(await w.seedCatalog.execute()).toEqual([]);
    expect([...w.catalog.store.rows.keys()].sort()).toEqual(['hamta.imei-status', 'karpoosheh.send-notice', 'ocsp.status']);
  });

  it('a provider edits only its own catalog entries', async () => {
    const provider: Actor = { subject: 'p', roles: ['agency'], agencyId: PROVIDER };
    expect((await w.changeService.execute(provider, 'ocsp.status', { title: 'OCSP' })).version).toBe(2);
    await expect(w.changeService.execute(stranger, 'ocsp.status', { title: 'x' })).rejects.toMatchObject({ code: 'GSB.NOT_PROVIDER' });
    await expect(w.registerService.execute(stranger, { code: 'x.y', title: 't', environments: ['GSB'], upstreamUrl: 'http://x', providerAgencyId: PROVIDER })).rejects.toMatchObject({
      code: 'GSB.NOT_PROVIDER',
    });
  });

  it('the provider suspends a grant; the consumer cannot; a stranger does not see it', async () => {
    await w.grants.insert({
      id: '0190a000-0000-7000-8000-000000000001',
      requestId: null,
      consumerAgencyId: AGENCY,
      providerAgencyId: PROVIDER,
      serviceCode: 'hamta.imei-status',
      environment: 'GSB',
      status: 'ACTIVE',
      quotaPerMinute: 60,
      quotaPerDay: 1000,
      validFrom: new Date(),
      validUntil: null,
      version: 1,
      changedAt: new Date(),
      reason: null,
    });
    const id = '0190a000-0000-7000-8000-000000000001';
    await expect(w.changeGrant.execute(applicant, id, 'suspend', 'x')).rejects.toMatchObject({ code: 'GSB.NOT_PROVIDER' });
    await expect(w.changeGrant.execute(stranger, id, 'suspend', 'x')).rejects.toMatchObject({ code: 'GSB.GRANT_NOT_FOUND' });
    const s = await w.changeGrant.execute({ subject: 'p', roles: ['agency'], agencyId: PROVIDER }, id, 'suspend', 'abuse');
    expect([s.status, s.version]).toEqual(['SUSPENDED', 2]);
    expect((await w.grantQueries.list(stranger, { limit: 10 })).items).toHaveLength(0);
    expect((await w.grantQueries.list(applicant, { limit: 10 })).items.map((g) => g.status)).toEqual(['SUSPENDED']);
  });
});
