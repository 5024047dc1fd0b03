import { NOTICE_BATCH_COMPLETED_V1, NOTICE_RECIPIENT_DELIVERED_V1, NOTICE_RECIPIENT_FAILED_V1 } from '@darvazeh/contracts';
import { verifyChain } from '../../audit/domain/hash-chain.js';
import { harness, sendInput } from '../../testing/harness.js';
import { nationalCode } from '../../testing/in-memory.js';

const RECIPIENTS = [1, 2, 3, 4, 5].map((n) => nationalCode(100 + n));

describe('FanOutBatchUseCase (in-memory ports)', () => {
  it('writes one chunk per step, advancing the progress, then completes with batch.completed and queues notifications', async () => {
    const h = harness({ SYNC_FANOUT_LIMIT: 2, FANOUT_CHUNK_SIZE: 2, BATCH_DELIVERED_EVENTS: 'per-recipient' });
    const r = await h.send.execute(sendInput(RECIPIENTS));
    const batchId = r.body.batchId as string;
    const noticeId = r.body.noticeId as string;
    const progress: [string, number, number][] = [];
    while (await h.fanOut.step()) {
      const b = (await h.notices.batch(batchId))!;
      progress.push([b.status, b.processed, b.delivered]);
    }
    expect(progress).toEqual([
      ['RUNNING', 2, 2],
      ['RUNNING', 4, 4],
      ['RUNNING', 5, 5],
      ['COMPLETED', 5, 5],
    ]);
    expect(h.notices.entriesOf(noticeId).map((e) => e.state)).toEqual(Array(5).fill('DELIVERED'));
    expect(h.outbox.types().filter((t) => t === NOTICE_RECIPIENT_DELIVERED_V1)).toHaveLength(5);
    const completed = h.outbox.events.filter((e) => e.type === NOTICE_BATCH_COMPLETED_V1);
    expect(completed).toHaveLength(1);
    expect(JSON.parse(completed[0].payload)).toMatchObject({ batchId, delivered: 5, failed: 0 });
    expect(h.notices.notificationJobs.has(noticeId)).toBe(true);
    expect(verifyChain(h.audit.of(noticeId))).toMatchObject({ valid: true, entries: 6 });
  });

  it('per-batch: no per-recipient DELIVERED events (audit still per recipient); FAILED always per recipient', async () => {
    const h = harness({ SYNC_FANOUT_LIMIT: 2, FANOUT_CHUNK_SIZE: 3, BATCH_DELIVERED_EVENTS: 'per-batch', RECIPIENT_DIRECTORY: 'projection' });
    RECIPIENTS.slice(0, 4).forEach((c) => h.notices.citizens.add(c));
    const r = await h.send.execute(sendInput(RECIPIENTS));
    while (await h.fanOut.step());
    const types = h.outbox.types();
    expect(types.filter((t) => t === NOTICE_RECIPIENT_DELIVERED_V1)).toHaveLength(0);
    expect(types.filter((t) => t === NOTICE_RECIPIENT_FAILED_V1)).toHaveLength(1);
    expect(JSON.parse(h.outbox.events.find((e) => e.type === NOTICE_BATCH_COMPLETED_V1)!.payload)).toMatchObject({ delivered: 4, failed: 1 });
    const audit = h.audit.of(r.body.noticeId as string);
    expect(audit.filter((e) => e.action === 'DELIVERED')).toHaveLength(4);
    expect(audit.filter((e) => e.action === 'FAILED')).toHaveLength(1);
    expect(h.outbox.webhooks.map((w) => w.type)).toEqual([]);
  });

  it('a failing chunk rolls back whole: progress and entries stay as they were, the next step resumes at that chunk', async () => {
    const h = harness({ SYNC_FANOUT_LIMIT: 2, FANOUT_CHUNK_SIZE: 2 });
    const r = await h.send.execute(sendInput(RECIPIENTS));
    await h.fanOut.step();
    const original = h.audit.append.bind(h.audit);
    h.audit.append = async () => {
      throw new Error('database went away');
    };
    await expect(h.fanOut.step()).rejects.toThrow('database went away');
    expect(await h.notices.batch(r.body.batchId as string)).toMatchObject({ processed: 2 });
    expect(h.notices.entriesOf(r.body.noticeId as string)).toHaveLength(2);
    h.audit.append = original;
    while (await h.fanOut.step());
    expect(await h.notices.batch(r.body.batchId as string)).toMatchObject({ status: 'COMPLETED', processed: 5, delivered: 5 });
  });

  it('nothing to do → false', async () => {
    expect(await harness().fanOut.step()).toBe(false);
  });
});
