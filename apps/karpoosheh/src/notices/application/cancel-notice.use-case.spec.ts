import { NOTICE_RECIPIENT_CANCELLED_V1 } from '@darvazeh/contracts';
import { verifyChain } from '../../audit/domain/hash-chain.js';
import { AGENCY, OTHER_AGENCY, harness, sendInput } from '../../testing/harness.js';
import { nationalCode } from '../../testing/in-memory.js';

const A = nationalCode(11);
const B = nationalCode(12);

describe('CancelNoticeUseCase (in-memory ports)', () => {
  it('cancels every copy while nobody opened it: CANCELLED entries, audit entries, one event each', async () => {
    const h = harness();
    const noticeId = (await h.send.execute(sendInput([A, B]))).body.noticeId as string;
    const r = await h.cancel.execute({ agencyId: AGENCY, actor: 'client:tax-office', noticeId, reason: 'sent by mistake' });
    expect(r).toEqual({ noticeId, cancelled: 2 });
    expect(h.notices.entriesOf(noticeId).map((e) => e.state)).toEqual(['CANCELLED', 'CANCELLED']);
    expect(h.outbox.types().filter((t) => t === NOTICE_RECIPIENT_CANCELLED_V1)).toHaveLength(2);
    const chain = h.audit.of(noticeId);
    expect(chain.slice(-2).map((e) => [e.action, e.detail])).toEqual([
      ['CANCELLED', { reason: 'sent by mistake' }],
      ['CANCELLED', { reason: 'sent by mistake' }],
    ]);
    expect(verifyChain(chain).valid).toBe(true);
  });

  it('once a recipient opened it → 409 KARPOOSHEH.NOTICE_NOT_CANCELLABLE and nothing changes', async () => {
    const h = harness();
    const noticeId = (await h.send.execute(sendInput([A, B]))).body.noticeId as string;
    await h.open.execute({ recipientId: A, reader: A }, noticeId);
    const events = h.outbox.events.length;
    const auditLength = h.audit.of(noticeId).length;
    await expect(h.cancel.execute({ agencyId: AGENCY, actor: 'x', noticeId, reason: null })).rejects.toMatchObject({ code: 'KARPOOSHEH.NOTICE_NOT_CANCELLABLE', kind: 'conflict' });
    expect(h.notices.entriesOf(noticeId).map((e) => e.state)).toEqual(['VIEWED', 'DELIVERED']);
    expect(h.outbox.events).toHaveLength(events);
    expect(h.audit.of(noticeId)).toHaveLength(auditLength);
  });

  it("another agency's notice answers like a missing one (404), and stays as it was", async () => {
    const h = harness();
    const noticeId = (await h.send.execute(sendInput([A]))).body.noticeId as string;
    await expect(h.cancel.execute({ agencyId: OTHER_AGENCY, actor: 'x', noticeId, reason: null })).rejects.toMatchObject({ code: 'KARPOOSHEH.NOTICE_NOT_FOUND' });
    await expect(h.cancel.execute({ agencyId: AGENCY, actor: 'x', noticeId: '0193a1b2-0000-7000-8000-00000000ffff', reason: null })).rejects.toMatchObject({ code: 'KARPOOSHEH.NOTICE_NOT_FOUND' });
    expect(h.notices.entriesOf(noticeId)[0].state).toBe('DELIVERED');
  });

  it('cancelling a pending bulk batch stops the fan-out (BATCH_CANCELLED, no entries are written afterwards)', async () => {
    const h = harness({ SYNC_FANOUT_LIMIT: 1, FANOUT_CHUNK_SIZE: 2 });
    const r = await h.send.execute(sendInput([1, 2, 3, 4].map(nationalCode)));
    const noticeId = r.body.noticeId as string;
    await h.fanOut.step(); // first chunk delivered
    await h.cancel.execute({ agencyId: AGENCY, actor: 'x', noticeId, reason: null });
    expect(await h.notices.batch(r.body.batchId as string)).toMatchObject({ status: 'CANCELLED', processed: 2 });
    expect(h.audit.of(noticeId).map((e) => e.action)).toContain('BATCH_CANCELLED');
    expect(await h.fanOut.step()).toBe(false);
    expect(h.notices.entriesOf(noticeId).map((e) => e.state)).toEqual(['CANCELLED', 'CANCELLED']);
  });
});
