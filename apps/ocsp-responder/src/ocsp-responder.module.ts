import { Logger, Module, type DynamicModule } from '@nestjs/common';
import { TOPICS } from '@darvazeh/contracts';
import { PrincipalRevocationModule, principalRevocationMigrations } from '@darvazeh/auth';
import { PlatformModule } from '@darvazeh/http';
import { messagingMigrations, OutboxWriter } from '@darvazeh/messaging';
import { MetricsRegistry } from '@darvazeh/observability';
import { TransactionRunner } from '@darvazeh/database';
import { OcspResponderEnv } from './config/ocsp-responder.env.js';
import { OcspSchema1746000000000 } from './migrations/1746000000000-ocsp-schema.js';
import { IssuerEntity } from './issuers/persistence/issuer.entity.js';
import { CertificateStatusEntity } from './certificates/persistence/certificate-status.entity.js';
import { PresignedResponseEntity } from './ocsp/persistence/presigned-response.entity.js';
import { CrlEntity } from './crl/persistence/crl.entity.js';
import { IssuerRepository } from './issuers/domain/issuer.repository.js';
import { TypeOrmIssuerRepository } from './issuers/persistence/typeorm-issuer.repository.js';
import { CertificateStatusRepository } from './certificates/domain/certificate-status.repository.js';
import { TypeOrmCertificateStatusRepository } from './certificates/persistence/typeorm-certificate-status.repository.js';
import { PresignedResponseStore } from './ocsp/application/presigned-response.store.js';
import { PresignedResponseWriter } from './ocsp/application/presigned-response.writer.js';
import { TypeOrmPresignedResponseStore } from './ocsp/persistence/typeorm-presigned-response.store.js';
import { CrlRepository } from './crl/domain/crl.repository.js';
import { TypeOrmCrlRepository } from './crl/persistence/typeorm-crl.repository.js';
import { SigningPool } from './signing/signing-pool.js';
import { SigningIdentityFactory } from './signing/signing-identity.factory.js';
import { FileSigningIdentityFactory } from './signing/file-signing-identity.factory.js';
import { IssuerDirectory } from './issuers/application/issuer-directory.js';
import { IssuerActivator } from './issuers/application/issuer-activator.js';
import { RegisterIssuerUseCase } from './issuers/application/register-issuer.use-case.js';
import { StatusBook } from './certificates/application/status-book.js';
import { StatusChangeEffects } from './certificates/application/status-change-effects.js';
import { RecordIssuanceUseCase } from './certificates/application/record-issuance.use-case.js';
import { RevokeCertificateUseCase } from './certificates/application/revoke-certificate.use-case.js';
import { ReleaseCertificateUseCase } from './certificates/application/release-certificate.use-case.js';
import { ImportStatusesUseCase } from './certificates/application/import-statuses.use-case.js';
import { ResponseCache } from './ocsp/application/response-cache.js';
import { OcspMetrics } from './ocsp/application/ocsp-metrics.js';
import { PrometheusOcspMetrics } from './ocsp/application/prometheus-ocsp.metrics.js';
import { OcspResponder } from './ocsp/application/ocsp-responder.js';
import { OcspStatusListener } from './ocsp/application/ocsp-status.listener.js';
import { PresignRefreshJob } from './ocsp/application/presign-refresh.job.js';
import type { OcspPolicy } from './ocsp/application/ocsp-policy.js';
import { CrlSettings } from './crl/application/crl-settings.js';
import { CrlArchive } from './crl/application/crl-archive.js';
import { LatestCrls } from './crl/application/latest-crls.js';
import { PublishCrlUseCase } from './crl/application/publish-crl.use-case.js';
import { CrlScheduler } from './crl/application/crl-scheduler.js';
import { IssuersController } from './issuers/http/issuers.controller.js';
import { CertificatesController } from './certificates/http/certificates.controller.js';
import { CrlController } from './crl/http/crl.controller.js';
import { CertificateEventsConsumer } from './certificates/messaging/certificate-events.consumer.js';
import { OcspRuntime } from './ocsp-runtime.js';

export const OCSP_SERVICE = 'ocsp-responder';
export const OCSP_ENTITIES = [IssuerEntity, CertificateStatusEntity, PresignedResponseEntity, CrlEntity];
export const OCSP_MIGRATIONS = [...messagingMigrations, ...principalRevocationMigrations, OcspSchema1746000000000];

export function ocspPolicy(env: OcspResponderEnv): OcspPolicy {
  return {
    nonce: env.OCSP_NONCE_POLICY,
    responderId: env.OCSP_RESPONDER_ID,
    validitySeconds: env.OCSP_VALIDITY_SECONDS,
    refreshBeforeSeconds: Math.min(env.OCSP_REFRESH_BEFORE_SECONDS, env.OCSP_VALIDITY_SECONDS - 30),
    unknownValiditySeconds: env.OCSP_UNKNOWN_VALIDITY_SECONDS,
    nonIssued: env.OCSP_NON_ISSUED,
    archiveRetentionDays: env.OCSP_ARCHIVE_RETENTION_DAYS ?? null,
    maxCertIds: env.OCSP_MAX_CERT_IDS,
    refreshConcurrency: env.OCSP_REFRESH_CONCURRENCY,
  };
}

@Module({})
export class OcspResponderModule {
  static register(env: OcspResponderEnv): DynamicModule {
    const policy = ocspPolicy(env);
    const logger = new Logger('OcspResponder');
    const logError = (err: unknown) => logger.error(err instanceof Error ? (err.stack ?? err.message) : String(err));
    return {
      module: OcspResponderModule,
      imports: [
        PlatformModule.forService({
          service: OCSP_SERVICE,
          env,
          entities: OCSP_ENTITIES,
          migrations: OCSP_MIGRATIONS,
          topics: [TOPICS.pkiCertificates, TOPICS.pkiCrls],
        }),
        PrincipalRevocationModule,
      ],
      controllers: [IssuersController, CertificatesController, CrlController, CertificateEventsConsumer],
      providers: [
        { provide: IssuerRepository, useClass: TypeOrmIssuerRepository },
        { provide: CertificateStatusRepository, useClass: TypeOrmCertificateStatusRepository },
        { provide: PresignedResponseStore, useClass: TypeOrmPresignedResponseStore },
        {
          provide: PresignedResponseWriter,
          inject: [PresignedResponseStore],
          useFactory: (store: PresignedResponseStore) => new PresignedResponseWriter(store, {}, logError),
        },
        { provide: CrlRepository, useClass: TypeOrmCrlRepository },
        { provide: SigningPool, useFactory: () => new SigningPool(env.OCSP_SIGNING_WORKERS) },
        { provide: SigningIdentityFactory, inject: [SigningPool], useFactory: (pool: SigningPool) => new FileSigningIdentityFactory(env.OCSP_KEY_DIR, pool) },
        { provide: IssuerDirectory, useFactory: () => new IssuerDirectory() },
        { provide: StatusBook, useFactory: () => new StatusBook() },
        { provide: ResponseCache, useFactory: () => new ResponseCache() },
        { provide: LatestCrls, useFactory: () => new LatestCrls() },
        { provide: CrlArchive, inject: [IssuerDirectory, CrlRepository], useFactory: (d: IssuerDirectory, c: CrlRepository) => new CrlArchive(d, c) },
        { provide: CrlSettings, useFactory: () => new CrlSettings(env.CRL_VALIDITY_SECONDS, env.CRL_DEBOUNCE_MS) },
        {
          provide: OcspMetrics,
          inject: [MetricsRegistry, ResponseCache],
          useFactory: (registry: MetricsRegistry, cache: ResponseCache) => new PrometheusOcspMetrics(registry, cache),
        },
        {
          provide: OcspResponder,
          inject: [IssuerDirectory, StatusBook, ResponseCache, OcspMetrics, PresignedResponseWriter],
          useFactory: (d: IssuerDirectory, b: StatusBook, c: ResponseCache, m: OcspMetrics, w: PresignedResponseWriter) =>
            new OcspResponder(d, b, c, policy, m, w, () => new Date(), logError),
        },
        {
          provide: PresignRefreshJob,
          inject: [OcspResponder, IssuerDirectory, StatusBook, ResponseCache],
          useFactory: (r: OcspResponder, d: IssuerDirectory, b: StatusBook, c: ResponseCache) => new PresignRefreshJob(r, d, b, c, policy, logError),
        },
        {
          provide: IssuerActivator,
          inject: [IssuerDirectory, SigningIdentityFactory, PresignRefreshJob],
          useFactory: (d: IssuerDirectory, f: SigningIdentityFactory, job: PresignRefreshJob) =>
            new IssuerActivator(d, f, policy.responderId, async () => void job.runOnce().catch(logError)),
        },
        {
          provide: PublishCrlUseCase,
          inject: [TransactionRunner, CertificateStatusRepository, CrlRepository, IssuerDirectory, OutboxWriter, LatestCrls, CrlSettings],
          useFactory: (...deps: ConstructorParameters<typeof PublishCrlUseCase>) => new PublishCrlUseCase(...deps),
        },
        {
          provide: CrlScheduler,
          inject: [IssuerDirectory, PublishCrlUseCase, LatestCrls, CrlSettings],
          useFactory: (d: IssuerDirectory, p: PublishCrlUseCase, l: LatestCrls, s: CrlSettings) => new CrlScheduler(d, p, l, s, logError),
        },
        {
          provide: StatusChangeEffects,
          inject: [StatusBook, OcspResponder, CrlScheduler],
          useFactory: (book: StatusBook, responder: OcspResponder, crl: CrlScheduler) => {
            const effects = new StatusChangeEffects(book);
            effects.listen(new OcspStatusListener(responder, policy.refreshConcurrency));
            effects.listen(crl);
            return effects;
          },
        },
        RegisterIssuerUseCase,
        RecordIssuanceUseCase,
        RevokeCertificateUseCase,
        ReleaseCertificateUseCase,
        ImportStatusesUseCase,
        OcspRuntime,
      ],
    };
  }
}
