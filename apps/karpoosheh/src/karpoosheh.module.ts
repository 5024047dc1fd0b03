import { PrincipalRevocationModule } from '@darvazeh/auth';
import { Module, type DynamicModule, type Provider } from '@nestjs/common';
import { TOPICS } from '@darvazeh/contracts';
import { TransactionRunner } from '@darvazeh/database';
import { DataSource } from 'typeorm';
import { PlatformModule } from '@darvazeh/http';
import { UploadAttachmentsUseCase } from './attachments/application/upload-attachments.use-case.js';
import { AttachmentStore } from './attachments/domain/attachment-store.js';
import { AttachmentsController } from './attachments/http/attachments.controller.js';
import { AttachmentUploads } from './attachments/domain/attachment-uploads.js';
import { PgAttachmentStore } from './attachments/persistence/pg-attachment-store.js';
import { PgAttachmentUploads } from './attachments/persistence/pg-attachment-uploads.js';
import { S3AttachmentStore } from './attachments/persistence/s3-attachment-store.js';
import { VerifyAuditChainUseCase } from './audit/application/verify-audit-chain.use-case.js';
import { AuditLogRepository } from './audit/domain/audit-log.repository.js';
import { TypeOrmAuditLogRepository } from './audit/persistence/typeorm-audit-log.repository.js';
import { KarpooshehEnv } from './config/karpoosheh.env.js';
import { DirectoryProjection } from './directory/application/directory-projection.js';
import { MandatesUseCases } from './directory/application/mandates.use-cases.js';
import { DirectoryRepository, MandateRepository } from './directory/domain/directory.repository.js';
import { TypeOrmDirectoryRepository, TypeOrmMandateRepository } from './directory/persistence/typeorm-directory.repository.js';
import { SystemNoticeUseCase } from './directory/application/system-notice.use-case.js';
import { MandatesController } from './directory/http/mandates.controller.js';
import { HamtaDevicesConsumer } from './directory/messaging/hamta-devices.consumer.js';
import { IdentityPrincipalsConsumer } from './directory/messaging/identity-principals.consumer.js';
import { InboxFlagsUseCase } from './inbox/application/inbox-flags.use-case.js';
import { InboxOwnerResolver } from './inbox/application/inbox-owner.js';
import { InboxQueries } from './inbox/application/inbox-queries.js';
import { InboxRepository } from './inbox/domain/inbox.repository.js';
import { TypeOrmInboxRepository } from './inbox/persistence/typeorm-inbox.repository.js';
import { OpenNoticeUseCase } from './inbox/application/open-notice.use-case.js';
import { InboxController } from './inbox/http/inbox.controller.js';
import { InboxFastPath } from './inbox/http/inbox-fast-path.js';
import { KarpooshehRuntime } from './karpoosheh.runtime.js';
import { KARPOOSHEH_MIGRATIONS } from './migrations/index.js';
import { CancelNoticeUseCase } from './notices/application/cancel-notice.use-case.js';
import { EffectiveJob } from './notices/application/effective-job.js';
import { FanOutBatchUseCase } from './notices/application/fan-out-batch.use-case.js';
import { SenderNoticeQueries } from './notices/application/notice-queries.js';
import { SendNoticeUseCase } from './notices/application/send-notice.use-case.js';
import { TransitionRecorder } from './notices/application/transition-recorder.js';
import { NoticesController } from './notices/http/notices.controller.js';
import { NoticesFastPath } from './notices/http/notices-fast-path.js';
import { IdempotencyStore } from './notices/domain/idempotency.store.js';
import { NoticeOutbox } from './notices/domain/notice-outbox.js';
import { NoticeRepository } from './notices/domain/notice.repository.js';
import { SendAdmission } from './notices/domain/send-admission.js';
import { DirectSendStore } from './notices/domain/direct-send.store.js';
import { PgDirectSendStore } from './notices/persistence/pg-direct-send.store.js';
import { PgIdempotencyStore } from './notices/persistence/pg-idempotency.store.js';
import { PgNoticeOutbox } from './notices/persistence/pg-notice-outbox.js';
import { PgSendAdmission } from './notices/persistence/pg-send-admission.js';
import { TypeOrmNoticeRepository } from './notices/persistence/typeorm-notice.repository.js';
import { NotificationDispatcher } from './notifier/application/notification-dispatcher.js';
import { NotificationJobs } from './notifier/domain/notification-jobs.js';
import { DevSinkNotifier, Notifier } from './notifier/domain/notifier.js';
import { PgNotificationJobs } from './notifier/persistence/pg-notification-jobs.js';
import { IssueReceiptUseCase } from './receipts/application/issue-receipt.use-case.js';
import { ReceiptSigner } from './receipts/application/receipt-signer.js';
import { ReceiptKeyRepository } from './receipts/domain/receipt-key.repository.js';
import { ReceiptKeysController } from './receipts/http/well-known.controller.js';
import { PgReceiptKeyRepository } from './receipts/persistence/pg-receipt-key.repository.js';
import { SenderAccessUseCases } from './senders/application/sender-access.use-cases.js';
import { MySenderController, SendersAdminController } from './senders/http/senders.controller.js';
import { SenderRepository } from './senders/domain/sender.repository.js';
import { TypeOrmSenderRepository } from './senders/persistence/typeorm-sender.repository.js';
import { Clock, SystemClock } from './shared/domain/clock.js';
import { PgStatements } from './shared/persistence/pg-statements.js';
import { WebhookDispatcher } from './webhooks/application/webhook-dispatcher.js';
import { WebhookDeliveryRepository } from './webhooks/domain/webhook-delivery.repository.js';
import { PgWebhookDeliveryRepository } from './webhooks/persistence/pg-webhook-delivery.repository.js';

export const KARPOOSHEH_SERVICE = 'karpoosheh';

/** Replaceable collaborators (tests: a manual clock, a capturing notifier). */
export interface KarpooshehOverrides {
  clock?: Clock;
  notifier?: Notifier;
}

/** Karpoosheh: the national inbox. */
@Module({})
export class KarpooshehModule {
  static register(env: KarpooshehEnv, overrides: KarpooshehOverrides = {}): DynamicModule {
    const providers: Provider[] = [
      { provide: Clock, useValue: overrides.clock ?? new SystemClock() },
      { provide: Notifier, useValue: overrides.notifier ?? new DevSinkNotifier() },
      { provide: AttachmentStore, useClass: env.ATTACHMENT_STORE === 's3' ? S3AttachmentStore : PgAttachmentStore },
      // Repository ports (domain/) bound to their PostgreSQL adapters (persistence/).
      { provide: AuditLogRepository, useClass: TypeOrmAuditLogRepository },
      { provide: NoticeRepository, useClass: TypeOrmNoticeRepository },
      { provide: IdempotencyStore, useClass: PgIdempotencyStore },
      { provide: NoticeOutbox, useClass: PgNoticeOutbox },
      { provide: SendAdmission, useClass: PgSendAdmission },
      { provide: DirectSendStore, useClass: PgDirectSendStore },
      // Named (prepared) statements for the hot paths: the send and the inbox reads.
      { provide: PgStatements, inject: [DataSource, TransactionRunner], useFactory: (ds: DataSource, tx: TransactionRunner) => new PgStatements(ds, tx) },
      { provide: SenderRepository, useClass: TypeOrmSenderRepository },
      { provide: AttachmentUploads, useClass: PgAttachmentUploads },
      { provide: InboxRepository, useClass: TypeOrmInboxRepository },
      { provide: DirectoryRepository, useClass: TypeOrmDirectoryRepository },
      { provide: MandateRepository, useClass: TypeOrmMandateRepository },
      { provide: NotificationJobs, useClass: PgNotificationJobs },
      { provide: WebhookDeliveryRepository, useClass: PgWebhookDeliveryRepository },
      { provide: ReceiptKeyRepository, useClass: PgReceiptKeyRepository },
      TransitionRecorder,
      SendNoticeUseCase,
      FanOutBatchUseCase,
      CancelNoticeUseCase,
      SenderNoticeQueries,
      EffectiveJob,
      SenderAccessUseCases,
      UploadAttachmentsUseCase,
      InboxOwnerResolver,
      InboxQueries,
      OpenNoticeUseCase,
      InboxFlagsUseCase,
      ReceiptSigner,
      IssueReceiptUseCase,
      VerifyAuditChainUseCase,
      DirectoryProjection,
      SystemNoticeUseCase,
      MandatesUseCases,
      NotificationDispatcher,
      WebhookDispatcher,
      KarpooshehRuntime,
      InboxFastPath,
      NoticesFastPath,
    ];
    return {
      module: KarpooshehModule,
      imports: [
        PlatformModule.forService({
          service: KARPOOSHEH_SERVICE,
          env,
          entities: [],
          migrations: KARPOOSHEH_MIGRATIONS,
          topics: [TOPICS.karpooshehNotices, TOPICS.karpooshehSenders, TOPICS.karpooshehMandates, TOPICS.identityPrincipals, TOPICS.hamtaDevices],
          // One notice's events share a key, hence a partition: a relay batch is one Kafka record batch,
          // which must stay under the broker's message.max.bytes (1 MiB by default; ~400 B per event).
          messaging: { relay: { batchSize: 1500 } },
        }),
        // Tokens of principals disabled at identity are refused at once, not when they expire.
        PrincipalRevocationModule,
      ],
      controllers: [
        NoticesController,
        AttachmentsController,
        InboxController,
        MySenderController,
        SendersAdminController,
        MandatesController,
        ReceiptKeysController,
        IdentityPrincipalsConsumer,
        HamtaDevicesConsumer,
      ],
      providers,
    };
  }
}
