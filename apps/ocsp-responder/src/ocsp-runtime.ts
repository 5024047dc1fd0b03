import { Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';
import { OcspResponderEnv } from './config/ocsp-responder.env.js';
import { IssuerRepository } from './issuers/domain/issuer.repository.js';
import { IssuerActivator } from './issuers/application/issuer-activator.js';
import { IssuerDirectory } from './issuers/application/issuer-directory.js';
import { CertificateStatusRepository } from './certificates/domain/certificate-status.repository.js';
import { StatusBook } from './certificates/application/status-book.js';
import { OcspResponder } from './ocsp/application/ocsp-responder.js';
import { ResponseCache, cachedResponse } from './ocsp/application/response-cache.js';
import { PresignedResponseStore } from './ocsp/application/presigned-response.store.js';
import { PresignedResponseWriter } from './ocsp/application/presigned-response.writer.js';
import { PresignRefreshJob } from './ocsp/application/presign-refresh.job.js';
import { registerOcspRoutes } from './ocsp/http/ocsp.routes.js';
import { CrlRepository } from './crl/domain/crl.repository.js';
import { LatestCrls } from './crl/application/latest-crls.js';
import { CrlScheduler } from './crl/application/crl-scheduler.js';
import { SigningPool } from './signing/signing-pool.js';

/**
 * Brings the responder up: raw OCSP routes on the Fastify instance (before Nest's router), then
 * issuers, every status and the stored pre-signed responses into memory, then the background
 * re-signing and CRL jobs. If the status store cannot be read the responder answers tryLater
 * and keeps retrying.
 */
@Injectable()
export class OcspRuntime implements OnModuleInit, OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('OcspRuntime');
  private retry: NodeJS.Timeout | null = null;

  constructor(
    private readonly env: OcspResponderEnv,
    private readonly adapterHost: HttpAdapterHost,
    private readonly issuers: IssuerRepository,
    private readonly activator: IssuerActivator,
    private readonly directory: IssuerDirectory,
    private readonly statuses: CertificateStatusRepository,
    private readonly book: StatusBook,
    private readonly responder: OcspResponder,
    private readonly cache: ResponseCache,
    private readonly store: PresignedResponseStore,
    private readonly refresh: PresignRefreshJob,
    private readonly crls: CrlRepository,
    private readonly latestCrls: LatestCrls,
    private readonly crlScheduler: CrlScheduler,
    private readonly pool: SigningPool,
    private readonly storeWriter: PresignedResponseWriter,
  ) {}

  onModuleInit(): void {
    const fastify = this.adapterHost.httpAdapter.getInstance<FastifyInstance>();
    registerOcspRoutes(fastify, this.responder, {
      maxRequestBytes: this.env.OCSP_MAX_REQUEST_BYTES,
      onError: (err) => this.logger.error(err),
    });
    if (!fastify.hasContentTypeParser('text/csv')) {
      // Bulk imports stream through csv-parse: hand the raw request stream to the controller.
      fastify.addContentTypeParser('text/csv', { bodyLimit: 256 * 1024 * 1024 }, (_req, payload, done) => done(null, payload));
    }
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.load();
    this.refresh.start(this.env.OCSP_REFRESH_INTERVAL_SECONDS * 1000);
    this.crlScheduler.start(Math.max(60_000, (this.env.CRL_VALIDITY_SECONDS * 1000) / 8));
  }

  /** Loads everything; on failure stays not-ready (tryLater) and retries. */
  async load(): Promise<void> {
    try {
      for (const issuer of await this.issuers.findAll()) {
        if (this.directory.getById(issuer.id)) continue;
        await this.activator.activate(issuer).catch((err: unknown) => this.logger.error(`issuer ${issuer.alias} cannot sign: ${String(err)}`));
      }
      this.book.load(await this.statuses.findAll());
      let restored = 0;
      for (const row of await this.store.loadAll()) {
        const issuer = this.directory.getById(row.issuerId);
        const status = this.book.get(row.issuerId, row.serial);
        // A stored response built from an older status (e.g. the revocation's re-sign was never
        // persisted) is dropped, not served.
        if (!issuer || !status || status.updatedAt.getTime() !== row.statusVersion.getTime()) continue;
        this.cache.put(cachedResponse({ ...row, issuerAlias: issuer.issuer.alias }));
        restored++;
      }
      for (const active of this.directory.all()) {
        const latest = await this.crls.latest(active.issuer.id);
        if (latest) this.latestCrls.put(latest);
      }
      this.logger.log(`loaded ${this.directory.all().length} issuers, ${this.book.size} statuses, ${restored} pre-signed responses`);
      void this.refresh.runOnce().catch((err: unknown) => this.logger.error(err));
      void this.crlScheduler.refreshDue().catch((err: unknown) => this.logger.error(err));
    } catch (err) {
      this.book.markUnavailable();
      this.logger.error(`status store unavailable, answering tryLater: ${String(err)}`);
      this.retry = setTimeout(() => void this.load(), 5_000);
      this.retry.unref();
    }
  }

  async onModuleDestroy(): Promise<void> {
    if (this.retry) clearTimeout(this.retry);
    this.crlScheduler.stop();
    await this.refresh.stop();
    await this.storeWriter.close();
    await this.pool.close();
  }
}
