// Karpoosheh's use cases wired to the in-memory fakes of their ports (unit tests).
import { EVENT_CATALOG } from '@darvazeh/contracts';
import { AttachmentStore, type AttachmentWrite } from '../attachments/domain/attachment-store.js';
import type { KarpooshehEnv } from '../config/karpoosheh.env.js';
import { OpenNoticeUseCase } from '../inbox/application/open-notice.use-case.js';
import { CancelNoticeUseCase } from '../notices/application/cancel-notice.use-case.js';
import { FanOutBatchUseCase } from '../notices/application/fan-out-batch.use-case.js';
import { SendNoticeUseCase, type SendNoticeInput } from '../notices/application/send-notice.use-case.js';
import { TransitionRecorder } from '../notices/application/transition-recorder.js';
import { requestFingerprint } from '../notices/domain/idempotency.js';
import {
  FakeTransactionRunner,
  InMemoryAttachmentUploads,
  InMemoryAuditLog,
  InMemoryDirectSendStore,
  InMemoryIdempotencyStore,
  InMemoryNoticeOutbox,
  InMemoryNoticeRepository,
  InMemorySendAdmission,
  InMemorySenderRepository,
  ManualClock,
  testEnv,
} from './in-memory.js';

export const AGENCY = '0193a1b2-0000-7000-8000-000000000001';
export const OTHER_AGENCY = '0193a1b2-0000-7000-8000-000000000002';

class NoFiles extends AttachmentStore {
  async begin(): Promise<AttachmentWrite> {
    return { write: async () => undefined, commit: async () => true, abort: async () => undefined };
  }
  async open(): Promise<null> {
    return null;
  }
  async exists(): Promise<boolean> {
    return false;
  }
}

export function harness(env: Partial<KarpooshehEnv> = {}) {
  const config = testEnv({ RECIPIENT_DIRECTORY: 'any', ...env });
  const tx = new FakeTransactionRunner();
  const notices = new InMemoryNoticeRepository();
  const idempotency = new InMemoryIdempotencyStore();
  const audit = new InMemoryAuditLog();
  const outbox = new InMemoryNoticeOutbox();
  const senders = new InMemorySenderRepository();
  const uploads = new InMemoryAttachmentUploads();
  tx.stores.push(notices, idempotency, audit, outbox, senders);
  const clock = new ManualClock();
  const recorder = new TransitionRecorder(audit, outbox, EVENT_CATALOG);
  senders.put(AGENCY, 'GRANTED');
  senders.put(OTHER_AGENCY, 'GRANTED');
  const send = new SendNoticeUseCase(tx, notices, new InMemorySendAdmission(idempotency, senders), idempotency, new InMemoryDirectSendStore(idempotency, senders, notices, audit, outbox), uploads, recorder, clock, config);
  return {
    env: config,
    tx,
    notices,
    idempotency,
    audit,
    outbox,
    senders,
    uploads,
    clock,
    send,
    cancel: new CancelNoticeUseCase(tx, notices, recorder, clock, config),
    open: new OpenNoticeUseCase(tx, notices, recorder, new NoFiles(), clock),
    fanOut: new FanOutBatchUseCase(tx, notices, recorder, clock, config),
  };
}

/** A send request as the controller builds it (fingerprint over the body). */
export function sendInput(recipients: string[], over: Partial<SendNoticeInput> = {}): SendNoticeInput {
  const body = { recipients, subject: 'اخطاریه مالیاتی', body: 'متن اخطاریه', bodyFormat: 'text' as const, category: 'tax', ...over };
  return {
    agencyId: AGENCY,
    actor: 'client:tax-office',
    idempotencyKey: 'key-00000001',
    requestHash: requestFingerprint({ recipients: body.recipients, subject: body.subject, body: body.body, bodyFormat: body.bodyFormat, category: body.category }),
    ...body,
    ...over,
  };
}
