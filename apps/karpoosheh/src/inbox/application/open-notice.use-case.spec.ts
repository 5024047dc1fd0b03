import { NOTICE_RECIPIENT_VIEWED_V1 } from '@darvazeh/contracts';
import { harness, sendInput } from '../../testing/harness.js';
import { nationalCode } from '../../testing/in-memory.js';

const A = nationalCode(21);
const B = nationalCode(22);
const COMPANY_READER = nationalCode(23);

describe('OpenNoticeUseCase (in-memory ports)', () => {
  it('the first opening records read_at and the reader (VIEWED, audited, one event); later openings change nothing', async () => {
    const h = harness();
    const noticeId = (await h.send.execute(sendInput([A, B]))).body.noticeId as string;
    h.clock.advance(3_600_000);
    const openedAt = h.clock.now().toISOString();
    const first = await h.open.execute({ recipientId: A, reader: A }, noticeId);
    expect(first).toMatchObject({ noticeId, state: 'VIEWED', readAt: openedAt, readBy: A, firstOpening: true, subject: 'اخطاریه مالیاتی' });

    h.clock.advance(3_600_000);
    const events = h.outbox.events.length;
    const audit = h.audit.of(noticeId).length;
    const second = await h.open.execute({ recipientId: A, reader: A }, noticeId);
    expect(second).toMatchObject({ readAt: openedAt, readBy: A, firstOpening: false });
    expect(h.outbox.events).toHaveLength(events);
    expect(h.audit.of(noticeId)).toHaveLength(audit);

    const entry = (await h.notices.entry(noticeId, A))!;
    expect(entry.read_at?.toISOString()).toBe(openedAt);
    expect(h.outbox.types().filter((t) => t === NOTICE_RECIPIENT_VIEWED_V1)).toHaveLength(1);
    expect(h.audit.of(noticeId).filter((e) => e.action === 'VIEWED')).toEqual([expect.objectContaining({ recipientId: A, actor: A, detail: { reader: A } })]);
    // The other recipient's copy is untouched.
    expect((await h.notices.entry(noticeId, B))!.state).toBe('DELIVERED');
  });

  it("records the reader's own national code when a representative opens a company's notice", async () => {
    const h = harness();
    const company = '10100000000'.slice(0, 11);
    const noticeId = (await h.send.execute(sendInput([A]))).body.noticeId as string;
    // A company copy placed directly (company ids are always deliverable).
    await h.notices.deliver(noticeId, [company], h.clock.now(), 'any');
    const opened = await h.open.execute({ recipientId: company, reader: COMPANY_READER }, noticeId);
    expect(opened.readBy).toBe(COMPANY_READER);
  });

  it("someone else's notice, a missing one and a cancelled copy all answer KARPOOSHEH.NOTICE_NOT_FOUND", async () => {
    const h = harness();
    const noticeId = (await h.send.execute(sendInput([A]))).body.noticeId as string;
    await expect(h.open.execute({ recipientId: B, reader: B }, noticeId)).rejects.toMatchObject({ code: 'KARPOOSHEH.NOTICE_NOT_FOUND' });
    await expect(h.open.execute({ recipientId: A, reader: A }, '0193a1b2-0000-7000-8000-00000000ffff')).rejects.toMatchObject({ code: 'KARPOOSHEH.NOTICE_NOT_FOUND' });
    await h.cancel.execute({ agencyId: sendInput([]).agencyId, actor: 'x', noticeId, reason: null });
    await expect(h.open.execute({ recipientId: A, reader: A }, noticeId)).rejects.toMatchObject({ code: 'KARPOOSHEH.NOTICE_NOT_FOUND' });
    expect((await h.notices.entry(noticeId, A))!.read_at).toBeNull();
  });
});
