import { Logger, Module, type DynamicModule } from '@nestjs/common';
import { TOPICS } from '@darvazeh/contracts';
import { PrincipalRevocationModule, principalRevocationMigrations } from '@darvazeh/auth';
import { PlatformModule } from '@darvazeh/http';
import { messagingMigrations, OutboxWriter } from '@darvazeh/messaging';
import { MetricsRegistry } from '@darvazeh/observability';
import { TransactionRunner } from '@darvazeh/database';
import { HttpAdapterHost } from '@nestjs/core';
import { OcspResponderEnv } from './config/ocsp-responder.env.js';
import { OcspSchema1746000000000 } from './migrations/1746000000000-ocsp-schema.js';
import { PresignedResponseProfile1765000000000 } from './migrations/1765000000000-presigned-response-profile.js';
import { DeltaCrls1765000001000 } from './migrations/1765000001000-delta-crls.js';
import { IssuerEntity } from './issuers/persistence/issuer.entity.js';
import { CertificateStatusEntity } from './certificates/persistence/certificate-status.entity.js';
import { PresignedResponseEntity } from './presigned-responses/persistence/presigned-response.entity.js';
import { CrlEntity } from './crl/persistence/crl.entity.js';
import { IssuerRepository } from './issuers/domain/issuer.repository.js';
import { TypeOrmIssuerRepository } from './issuers/persistence/typeorm-issuer.repository.js';
import { CertificateStatusRepository } from './certificates/domain/certificate-status.repository.js';
import { TypeOrmCertificateStatusRepository } from './certificates/persistence/typeorm-certificate-status.repository.js';
import { PresignedResponseStore } from './presigned-responses/application/presigned-response.store.js';
import { PresignedResponseWriter } from './presigned-responses/application/presigned-response.writer.js';
import { TypeOrmPresignedResponseStore } from './presigned-responses/persistence/typeorm-presigned-response.store.js';
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
import { PresignedResponseCache } from './presigned-responses/application/presigned-response.cache.js';
import { Presigner } from './presigned-responses/application/presigner.js';
import { PresignedResponseRestorer } from './presigned-responses/application/presigned-response.restorer.js';
import { ResponseSigner } from './ocsp/application/response-signer.js';
import { PerClientLiveSigningLimiter, UnboundedLiveSigning } from './ocsp/application/live-signing-limiter.js';
import { OcspMetrics } from './ocsp/application/ocsp-metrics.js';
import { PrometheusOcspMetrics } from './ocsp/application/prometheus-ocsp.metrics.js';
import { OcspResponder } from './ocsp/application/ocsp-responder.js';
import { PresignedStatusListener } from './presigned-responses/application/presigned-status.listener.js';
import { PresignRefreshJob } from './presigned-responses/application/presign-refresh.job.js';
import { BulkPresigner, BulkPresignStore } from './presigned-responses/application/bulk-presigner.js';
import { PgBulkPresignStore } from './presigned-responses/persistence/pg-bulk-presign.store.js';
import { NoCacheTier } from './presigned-responses/application/cache-tier-purger.js';
import { HttpBanPurger } from './presigned-responses/cache-tier/http-ban.purger.js';
import type { OcspPolicy } from './ocsp/application/ocsp-policy.js';
import { CrlSettings } from './crl/application/crl-settings.js';
import { CrlArchive } from './crl/application/crl-archive.js';
import { LatestCrls } from './crl/application/latest-crls.js';
import { PublishCrlUseCase } from './crl/application/publish-crl.use-case.js';
import { PublishDeltaCrlUseCase } from './crl/application/publish-delta-crl.use-case.js';
import { CrlScheduler } from './crl/application/crl-scheduler.js';
import { IssuersController } from './issuers/http/issuers.controller.js';
import { CertificatesController } from './certificates/http/certificates.controller.js';
import { CrlController } from './crl/http/crl.controller.js';
import { CertificateEventsConsumer } from './certificates/messaging/certificate-events.consumer.js';
import { ResponderStartup } from './responder-startup.js';
import { StatusLoader } from './certificates/application/status-loader.js';
import { CrlStartup } from './crl/application/crl-startup.js';
import { OcspHttpSetup } from './ocsp/http/ocsp-http.setup.js';
import { CsvBodySetup } from './certificates/http/csv-body.setup.js';

export const OCSP_SERVICE = 'ocsp-responder';
export const OCSP_ENTITIES = [IssuerEntity, CertificateStatusEntity, PresignedResponseEntity, CrlEntity];
export const OCSP_MIGRATIONS = [...messagingMigrations, ...principalRevocationMigrations, OcspSchema1746000000000, PresignedResponseProfile1765000000000, DeltaCrls1765000001000];

export function ocspPolicy(env: OcspResponderEnv): OcspPolicy {
  return {
    nonce: env.OCSP_NONCE_POLICY,
    responderId: env.OCSP_RESPONDER_ID,
    validitySeconds: env.OCSP_VALIDITY_SECONDS,
    refreshBeforeSeconds: Math.min(env.OCSP_REFRESH_BEFORE_SECONDS, env.OCSP_VALIDITY_SECONDS - 30),
    unknownValiditySeconds: env.OCSP_UNKNOWN_VALIDITY_SECONDS,
    nonIssued: env.OCSP_NON_ISSUED,
    archiveRetentionDays: env.OCSP_ARCHIVE_RETENTION_DAYS ?? null,
    unknownSerial: env.OCSP_UNKNOWN_SERIAL_POLICY,
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
    const cacheTier = env.OCSP_CACHE_PURGE_URLS.length > 0 ? new HttpBanPurger(env.OCSP_CACHE_PURGE_URLS, logError) : new NoCacheTier();
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
        { provide: BulkPresignStore, useClass: PgBulkPresignStore },
        { provide: SigningPool, useFactory: () => new SigningPool(env.OCSP_SIGNING_WORKERS ?? 'auto') },
        { provide: SigningIdentityFactory, inject: [SigningPool], useFactory: (pool: SigningPool) => new FileSigningIdentityFactory(env.OCSP_KEY_DIR, pool) },
        { provide: IssuerDirectory, useFactory: () => new IssuerDirectory() },
        { provide: StatusBook, useFactory: () => new StatusBook() },
        { provide: PresignedResponseCache, useFactory: () => new PresignedResponseCache() },
        { provide: LatestCrls, useFactory: () => new LatestCrls() },
        { provide: CrlArchive, inject: [IssuerDirectory, CrlRepository], useFactory: (d: IssuerDirectory, c: CrlRepository) => new CrlArchive(d, c) },
        {
          provide: CrlSettings,
          useFactory: () =>
            new CrlSettings(
              env.CRL_VALIDITY_SECONDS,
              env.CRL_DEBOUNCE_MS,
              env.CRL_DELTA === 'on' ? { validitySeconds: env.CRL_DELTA_VALIDITY_SECONDS, publicBaseUrl: env.CRL_PUBLIC_BASE_URL } : null,
            ),
        },
        {
          provide: OcspMetrics,
          inject: [MetricsRegistry, PresignedResponseCache],
          useFactory: (registry: MetricsRegistry, cache: PresignedResponseCache) => new PrometheusOcspMetrics(registry, cache),
        },
        {
          provide: ResponseSigner,
          inject: [StatusBook, OcspMetrics],
          useFactory: (book: StatusBook, metrics: OcspMetrics) => new ResponseSigner(book, policy, metrics),
        },
        {
          provide: Presigner,
          inject: [IssuerDirectory, StatusBook, PresignedResponseCache, ResponseSigner, PresignedResponseWriter],
          useFactory: (...deps: ConstructorParameters<typeof Presigner>) => new Presigner(...deps),
        },
        {
          provide: OcspResponder,
          inject: [IssuerDirectory, StatusBook, Presigner, ResponseSigner, OcspMetrics],
          useFactory: (d: IssuerDirectory, b: StatusBook, p: Presigner, s: ResponseSigner, m: OcspMetrics) =>
            new OcspResponder(d, b, p, s, policy, m, logError, env.OCSP_LIVE_SIGNING_PER_CLIENT > 0 ? new PerClientLiveSigningLimiter(env.OCSP_LIVE_SIGNING_PER_CLIENT) : new UnboundedLiveSigning()),
        },
        {
          provide: BulkPresigner,
          inject: [IssuerDirectory, StatusBook, PresignedResponseCache, ResponseSigner, Presigner, BulkPresignStore],
          useFactory: (d: IssuerDirectory, b: StatusBook, c: PresignedResponseCache, s: ResponseSigner, p: Presigner, store: BulkPresignStore) =>
            new BulkPresigner(d, b, c, s, p, store, logError, (m) => logger.log(m)),
        },
        {
          provide: PresignRefreshJob,
          inject: [Presigner, IssuerDirectory, StatusBook, PresignedResponseCache, BulkPresigner],
          useFactory: (p: Presigner, d: IssuerDirectory, b: StatusBook, c: PresignedResponseCache, bulk: BulkPresigner) =>
            new PresignRefreshJob(p, d, b, c, policy, logError, (m) => logger.log(m), 5_000, bulk),
        },
        {
          provide: PresignedResponseRestorer,
          inject: [PresignedResponseStore, IssuerDirectory, StatusBook, PresignedResponseCache, ResponseSigner],
          useFactory: (...deps: ConstructorParameters<typeof PresignedResponseRestorer>) => new PresignedResponseRestorer(...deps),
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
          provide: PublishDeltaCrlUseCase,
          inject: [TransactionRunner, CertificateStatusRepository, CrlRepository, IssuerDirectory, OutboxWriter, LatestCrls, CrlSettings],
          useFactory: (...deps: ConstructorParameters<typeof PublishDeltaCrlUseCase>) => new PublishDeltaCrlUseCase(...deps),
        },
        {
          provide: CrlScheduler,
          inject: [IssuerDirectory, PublishCrlUseCase, LatestCrls, CrlSettings, PublishDeltaCrlUseCase],
          useFactory: (d: IssuerDirectory, p: PublishCrlUseCase, l: LatestCrls, s: CrlSettings, delta: PublishDeltaCrlUseCase) =>
            new CrlScheduler(d, p, l, s, logError, delta),
        },
        {
          provide: StatusChangeEffects,
          inject: [StatusBook, Presigner, CrlScheduler, BulkPresigner],
          useFactory: (book: StatusBook, presigner: Presigner, crl: CrlScheduler, bulk: BulkPresigner) => {
            const effects = new StatusChangeEffects(book);
            effects.listen(new PresignedStatusListener(presigner, policy.refreshConcurrency, cacheTier, bulk, logError));
            effects.listen(crl);
            return effects;
          },
        },
        RegisterIssuerUseCase,
        RecordIssuanceUseCase,
        RevokeCertificateUseCase,
        ReleaseCertificateUseCase,
        ImportStatusesUseCase,
        {
          provide: StatusLoader,
          inject: [IssuerRepository, IssuerActivator, IssuerDirectory, CertificateStatusRepository, StatusBook],
          useFactory: (i: IssuerRepository, a: IssuerActivator, d: IssuerDirectory, s: CertificateStatusRepository, b: StatusBook) =>
            new StatusLoader(i, a, d, s, b, logError),
        },
        {
          provide: CrlStartup,
          inject: [IssuerDirectory, CrlRepository, LatestCrls, CrlScheduler, CrlSettings],
          useFactory: (...deps: ConstructorParameters<typeof CrlStartup>) => new CrlStartup(...deps),
        },
        {
          provide: ResponderStartup,
          inject: [StatusLoader, PresignedResponseRestorer, PresignRefreshJob, CrlStartup, PresignedResponseWriter, SigningPool, BulkPresigner],
          useFactory: (s: StatusLoader, r: PresignedResponseRestorer, j: PresignRefreshJob, c: CrlStartup, w: PresignedResponseWriter, p: SigningPool, b: BulkPresigner) =>
            new ResponderStartup(s, r, j, c, w, p, env.OCSP_REFRESH_INTERVAL_SECONDS * 1000, b),
        },
        {
          provide: OcspHttpSetup,
          inject: [HttpAdapterHost, OcspResponder],
          useFactory: (host: HttpAdapterHost, responder: OcspResponder) => new OcspHttpSetup(host, responder, { maxRequestBytes: env.OCSP_MAX_REQUEST_BYTES, trustProxy: env.TRUST_PROXY, cacheTag: env.OCSP_CACHE_PURGE_URLS.length > 0 }),
        },
        { provide: CsvBodySetup, inject: [HttpAdapterHost], useFactory: (host: HttpAdapterHost) => new CsvBodySetup(host) },
      ],
    };
  }
}
