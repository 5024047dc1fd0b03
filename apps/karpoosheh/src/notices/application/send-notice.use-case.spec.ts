import { NOTICE_BATCH_ACCEPTED_V1, NOTICE_RECIPIENT_ACCEPTED_V1, NOTICE_RECIPIENT_DELIVERED_V1, NOTICE_RECIPIENT_FAILED_V1 } from '@darvazeh/contracts';
import { verifyChain } from '../../audit/domain/hash-chain.js';
import { requestFingerprint } from '../domain/idempotency.js';
import { AGENCY, harness, sendInput } from '../../testing/harness.js';
import { nationalCode } from '../../testing/in-memory.js';

const A = nationalCode(1);
const B = nationalCode(2);

describe('SendNoticeUseCase (in-memory ports)', () => {
  it('delivers a small send in the request: entries, a valid audit chain, events, one idempotency record', async () => {
    const h = harness();
    const r = await h.send.execute(sendInput([A, B]));
    expect(r.status).toBe(201);
    expect(r.replayed).toBe(false);
    const noticeId = r.body.noticeId as string;
    expect(h.notices.entriesOf(noticeId).map((e) => [e.recipient_id, e.state])).toEqual([
      [A, 'DELIVERED'],
      [B, 'DELIVERED'],
    ]);
    const chain = h.audit.of(noticeId);
    expect(chain.map((e) => e.action)).toEqual(['ACCEPTED', 'ACCEPTED', 'DELIVERED', 'DELIVERED']);
    expect(verifyChain(chain).valid).toBe(true);
    expect(h.outbox.types()).toEqual([NOTICE_RECIPIENT_ACCEPTED_V1, NOTICE_RECIPIENT_ACCEPTED_V1, NOTICE_RECIPIENT_DELIVERED_V1, NOTICE_RECIPIENT_DELIVERED_V1]);
    expect(h.outbox.events.every((e) => e.key === noticeId)).toBe(true);
    expect(h.notices.notificationJobs.has(noticeId)).toBe(true);
    expect(h.idempotency.records.size).toBe(1);
  });

  it('same key and same body → the stored answer, marked replayed, and no second notice', async () => {
    const h = harness();
    const first = await h.send.execute(sendInput([A]));
    h.clock.advance(60_000);
    const again = await h.send.execute(sendInput([A]));
    expect(again.replayed).toBe(true);
    expect(again.status).toBe(first.status);
    expect(again.body).toEqual(JSON.parse(JSON.stringify(first.body)));
    expect(h.notices.notices.size).toBe(1);
    expect(h.outbox.events).toHaveLength(2);
  });

  it('same key with another body → 422 KARPOOSHEH.IDEMPOTENCY_KEY_REUSED, nothing changes', async () => {
    const h = harness();
    await h.send.execute(sendInput([A]));
    const before = { notices: h.notices.notices.size, events: h.outbox.events.length };
    const other = sendInput([A], { subject: 'موضوع دیگر' });
    expect(other.requestHash).not.toBe(sendInput([A]).requestHash);
    await expect(h.send.execute(other)).rejects.toMatchObject({ code: 'KARPOOSHEH.IDEMPOTENCY_KEY_REUSED', kind: 'rule_violation' });
    expect({ notices: h.notices.notices.size, events: h.outbox.events.length }).toEqual(before);
  });

  it('key held by a request still in flight → 409 KARPOOSHEH.IDEMPOTENCY_KEY_IN_FLIGHT, nothing stored', async () => {
    const h = harness();
    h.idempotency.heldElsewhere.add(`${AGENCY}:key-00000001`);
    await expect(h.send.execute(sendInput([A]))).rejects.toMatchObject({ code: 'KARPOOSHEH.IDEMPOTENCY_KEY_IN_FLIGHT', kind: 'conflict' });
    expect(h.notices.notices.size).toBe(0);
    expect(h.idempotency.records.size).toBe(0);
  });

  it('the same body under another key is another notice', async () => {
    const h = harness();
    const one = await h.send.execute(sendInput([A]));
    const two = await h.send.execute(sendInput([A], { idempotencyKey: 'key-00000002' }));
    expect(two.body.noticeId).not.toBe(one.body.noticeId);
    expect(h.notices.notices.size).toBe(2);
  });

  it('a sender not GRANTED cannot send, and nothing is stored (no idempotency record either)', async () => {
    const h = harness();
    h.senders.put(AGENCY, 'SUSPENDED');
    await expect(h.send.execute(sendInput([A]))).rejects.toMatchObject({ code: expect.stringMatching(/^KARPOOSHEH\./) });
    expect(h.notices.notices.size).toBe(0);
    expect(h.idempotency.records.size).toBe(0);
  });

  it('an attachment the agency did not upload → 422-class invalid, and the whole send rolls back', async () => {
    const h = harness();
    const sha = 'a'.repeat(64);
    await expect(h.send.execute(sendInput([A], { attachments: [{ sha256: sha, filename: 'x.pdf' }] }))).rejects.toMatchObject({ code: 'KARPOOSHEH.ATTACHMENT_UNKNOWN', kind: 'invalid' });
    expect(h.notices.notices.size).toBe(0);
  });

  it('with the projection directory a citizen unknown to identity is FAILED (event per recipient), a known one DELIVERED', async () => {
    const h = harness({ RECIPIENT_DIRECTORY: 'projection' });
    h.notices.citizens.add(A);
    const r = await h.send.execute(sendInput([A, B]));
    expect(r.body.recipients).toEqual([
      { recipientId: A, state: 'DELIVERED' },
      { recipientId: B, state: 'FAILED' },
    ]);
    expect(h.outbox.types()).toContain(NOTICE_RECIPIENT_FAILED_V1);
  });

  it('above SYNC_FANOUT_LIMIT: 202 with a batch, no entries yet, one BATCH_ACCEPTED audit fact binding the list', async () => {
    const h = harness({ SYNC_FANOUT_LIMIT: 2, FANOUT_CHUNK_SIZE: 2 });
    const rs = [1, 2, 3, 4, 5].map(nationalCode);
    const r = await h.send.execute(sendInput(rs));
    expect(r.status).toBe(202);
    const noticeId = r.body.noticeId as string;
    expect(h.notices.entriesOf(noticeId)).toHaveLength(0);
    expect(h.audit.of(noticeId).map((e) => e.action)).toEqual(['BATCH_ACCEPTED']);
    expect(h.audit.of(noticeId)[0].detail).toMatchObject({ recipientCount: 5 });
    expect(h.outbox.types()).toEqual([NOTICE_BATCH_ACCEPTED_V1]);
    // The replay of a 202 is the same 202.
    const again = await h.send.execute(sendInput(rs));
    expect(again).toMatchObject({ status: 202, replayed: true, body: { batchId: r.body.batchId } });
    expect(requestFingerprint({ b: 1, a: 2 })).toBe(requestFingerprint({ a: 2, b: 1 }));
  });
});

describe('SendNoticeUseCase: the same key committed between our lock and our insert', () => {
  it('rolls the second send back whole and answers 409 (the retry then replays)', async () => {
    const h = harness();
    h.idempotency.committedMeanwhile = { requestHash: sendInput([A]).requestHash, responseStatus: 201, responseBody: { noticeId: 'the-first' } };
    await expect(h.send.execute(sendInput([A]))).rejects.toMatchObject({ code: 'KARPOOSHEH.IDEMPOTENCY_KEY_IN_FLIGHT' });
    expect(h.notices.notices.size).toBe(0);
    expect(h.outbox.events).toHaveLength(0);
    expect(h.audit.chains.size).toBe(0);
    const retry = await h.send.execute(sendInput([A]));
    expect(retry).toMatchObject({ replayed: true, body: { noticeId: 'the-first' } });
  });
});
