import { Inject, Module, type DynamicModule, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { DataSource } from 'typeorm';
import { TransactionRunner } from '@darvazeh/database';
import { TOPICS } from '@darvazeh/contracts';
import { PrincipalRevocationModule, principalRevocationMigrations } from '@darvazeh/auth';
import { PlatformModule } from '@darvazeh/http';
import { messagingMigrations } from '@darvazeh/messaging';
import { DeviceRegistryEnv } from './config/device-registry.env.js';
import { HamtaSettings } from './config/hamta-settings.js';
import { DeviceQueries } from './devices/application/device-queries.js';
import { AcceptTransferUseCase } from './devices/application/accept-transfer.use-case.js';
import { BlockDeviceUseCase } from './devices/application/block-device.use-case.js';
import { CancelTransferUseCase } from './devices/application/cancel-transfer.use-case.js';
import { RecoverDeviceUseCase } from './devices/application/recover-device.use-case.js';
import { ReportStolenUseCase } from './devices/application/report-stolen.use-case.js';
import { StartTransferUseCase } from './devices/application/start-transfer.use-case.js';
import { UnblockDeviceUseCase } from './devices/application/unblock-device.use-case.js';
import { AdminDevicesController, DevicesController } from './devices/http/devices.controller.js';
import { DeviceRepository } from './devices/domain/device.repository.js';
import { TypeOrmDeviceRepository } from './devices/persistence/typeorm-device.repository.js';
import { BlacklistFiles } from './eir/application/blacklist-files.js';
import { BlacklistExport } from './eir/domain/blacklist-export.js';
import { ImeiIndexSource } from './eir/domain/imei-index.source.js';
import { PgBlacklistExport } from './eir/persistence/pg-blacklist-export.js';
import { PgImeiIndexSource } from './eir/persistence/pg-imei-index.source.js';
import { OperatorFileQueries } from './operator-files/application/operator-file-queries.js';
import { OperatorFileRepository } from './operator-files/domain/operator-file.repository.js';
import { TypeOrmOperatorFileRepository } from './operator-files/persistence/typeorm-operator-file.repository.js';
import { FastRouteDocs } from './eir/http/eir-check.openapi.js';
import { EirIndexEffects } from './eir/application/eir-index.effects.js';
import { EirIndexService } from './eir/application/eir-index.service.js';
import { EirController } from './eir/http/eir.controller.js';
import { EirFastCheckRoute } from './eir/http/eir-fast-check.route.js';
import { EirIndexFeed } from './eir/messaging/eir-index.feed.js';
import { HAMTA_MIGRATIONS } from './migrations/index.js';
import { RegisterDeviceUseCase } from './registrations/application/register-device.use-case.js';
import { RegistrationsController } from './registrations/http/registrations.controller.js';
import { RegistrationRepository } from './registrations/domain/registration.repository.js';
import { TypeOrmRegistrationRepository } from './registrations/persistence/typeorm-registration.repository.js';
import { ACCEPTED_FILE_TYPES } from './shared/application/operator-upload.js';
import { ImportSightingFileUseCase } from './sightings/application/import-sighting-file.use-case.js';
import { RecordSightingUseCase } from './sightings/application/record-sighting.use-case.js';
import { OperatorFilesController } from './sightings/http/operator-files.controller.js';
import { OperatorFeedConsumer } from './sightings/messaging/sighting-reported.consumer.js';
import { ImportOwnershipFileUseCase } from './subscribers/application/import-ownership-file.use-case.js';
import { RecordOwnershipUseCase } from './subscribers/application/record-ownership.use-case.js';
import { OwnershipFileImporter } from './subscribers/domain/ownership-file.importer.js';
import { OwnershipRepository } from './subscribers/domain/ownership.repository.js';
import { TypeOrmOwnershipRepository } from './subscribers/persistence/typeorm-ownership.repository.js';
import { PgOwnershipFileImporter } from './subscribers/persistence/pg-ownership-file.importer.js';
import { SightingFileImporter } from './sightings/domain/sighting-file.importer.js';
import { SightingRepository } from './sightings/domain/sighting.repository.js';
import { PgSightingFileImporter } from './sightings/persistence/pg-sighting-file.importer.js';
import { TypeOrmSightingRepository } from './sightings/persistence/typeorm-sighting.repository.js';

export const SERVICE = 'device-registry';

/** The upload routes: every body sent to them reaches the route, which names the types it takes. */
const FILE_ROUTE = /^\/operators\/[^/]+\/(?:sighting|subscriber)-files(?:\?|$)/;

interface FastifyParsers {
  addContentTypeParser(t: string | string[], fn: (req: { url: string }, payload: unknown, done: (e: Error | null, body?: unknown) => void) => void): void;
  hasContentTypeParser(t: string): boolean;
}

/**
 * The one raw-body parser of the app: bulk files arrive as the request stream (Fastify must not
 * buffer or parse them). Any other type sent to an upload route (multipart, JSON) reaches the
 * route too, which answers the documented `415 HAMTA.FILE_CONTENT_TYPE`; elsewhere a type no
 * parser takes is refused as before (`415 REQUEST.UNSUPPORTED_MEDIA_TYPE`).
 */
class RawFileBodies implements OnModuleInit {
  constructor(@Inject(HttpAdapterHost) private readonly host: HttpAdapterHost) {}

  onModuleInit(): void {
    const fastify = this.host.httpAdapter?.getInstance?.() as FastifyParsers | undefined;
    if (!fastify) return;
    const missing = ACCEPTED_FILE_TYPES.filter((t) => !fastify.hasContentTypeParser(t));
    if (missing.length > 0) fastify.addContentTypeParser(missing, (_req, payload, done) => done(null, payload));
    if (!fastify.hasContentTypeParser('*')) {
      fastify.addContentTypeParser('*', (req, payload, done) =>
        FILE_ROUTE.test(req.url) ? done(null, payload) : done(Object.assign(new Error('Unsupported Media Type'), { code: 'FST_ERR_CTP_INVALID_MEDIA_TYPE', statusCode: 415 })),
      );
    }
  }
}

/** Hamta: device registration against operator sightings, and the EIR. */
@Module({})
export class DeviceRegistryModule {
  static register(env: DeviceRegistryEnv): DynamicModule {
    return {
      module: DeviceRegistryModule,
      imports: [
        PlatformModule.forService({
          service: SERVICE,
          env,
          entities: [],
          migrations: [...messagingMigrations, ...principalRevocationMigrations, ...HAMTA_MIGRATIONS],
          topics: [TOPICS.hamtaDevices, TOPICS.hamtaSightings, TOPICS.hamtaSubscribers],
        }),
        PrincipalRevocationModule,
      ],
      controllers: [RegistrationsController, DevicesController, AdminDevicesController, EirController, OperatorFilesController, OperatorFeedConsumer],
      providers: [
        { provide: HamtaSettings, useValue: HamtaSettings.fromEnv(env) },
        RawFileBodies,
        EirFastCheckRoute,
        FastRouteDocs,
        { provide: DeviceRepository, useClass: TypeOrmDeviceRepository },
        { provide: OperatorFileRepository, useClass: TypeOrmOperatorFileRepository },
        { provide: BlacklistExport, useClass: PgBlacklistExport },
        { provide: ImeiIndexSource, useClass: PgImeiIndexSource },
        { provide: RegistrationRepository, useClass: TypeOrmRegistrationRepository },
        EirIndexService,
        EirIndexEffects,
        EirIndexFeed,
        RegisterDeviceUseCase,
        ReportStolenUseCase,
        RecoverDeviceUseCase,
        BlockDeviceUseCase,
        UnblockDeviceUseCase,
        StartTransferUseCase,
        AcceptTransferUseCase,
        CancelTransferUseCase,
        DeviceQueries,
        OperatorFileQueries,
        BlacklistFiles,
        { provide: SightingFileImporter, useFactory: (tx: TransactionRunner) => new PgSightingFileImporter(tx), inject: [TransactionRunner] },
        { provide: OwnershipFileImporter, useFactory: (ds: DataSource) => new PgOwnershipFileImporter(ds), inject: [DataSource] },
        { provide: SightingRepository, useClass: TypeOrmSightingRepository },
        { provide: OwnershipRepository, useClass: TypeOrmOwnershipRepository },
        ImportSightingFileUseCase,
        RecordSightingUseCase,
        RecordOwnershipUseCase,
        ImportOwnershipFileUseCase,
      ],
    };
  }
}
