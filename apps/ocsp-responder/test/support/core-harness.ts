import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import Fastify, { type FastifyInstance } from 'fastify';
import type { EntityManager } from 'typeorm';
import { TransactionRunner, type AfterCommitEffect } from '@darvazeh/database';
import { MetricsRegistry } from '@darvazeh/observability';
import { IssuerDirectory } from '../../src/issuers/application/issuer-directory.js';
import { StatusBook } from '../../src/certificates/application/status-book.js';
import { StatusChangeEffects } from '../../src/certificates/application/status-change-effects.js';
import { CertificateStatusRepository } from '../../src/certificates/domain/certificate-status.repository.js';
import type { CertificateStatus } from '../../src/certificates/domain/certificate-status.js';
import { PresignedResponseCache } from '../../src/presigned-responses/application/presigned-response.cache.js';
import { Presigner } from '../../src/presigned-responses/application/presigner.js';
import { PresignedResponseRestorer } from '../../src/presigned-responses/application/presigned-response.restorer.js';
import { ResponseSigner } from '../../src/ocsp/application/response-signer.js';
import { UnboundedLiveSigning, type LiveSigningLimiter } from '../../src/ocsp/application/live-signing-limiter.js';
import { OcspResponder } from '../../src/ocsp/application/ocsp-responder.js';
import { DEFAULT_OCSP_POLICY, type OcspPolicy } from '../../src/ocsp/application/ocsp-policy.js';
import { PrometheusOcspMetrics } from '../../src/ocsp/application/prometheus-ocsp.metrics.js';
import { InMemoryPresignedResponseStore } from './in-memory-presigned-response.store.js';
import { PresignedResponseWriter } from '../../src/presigned-responses/application/presigned-response.writer.js';
import { PresignedStatusListener } from '../../src/presigned-responses/application/presigned-status.listener.js';
import { PresignRefreshJob } from '../../src/presigned-responses/application/presign-refresh.job.js';
import { registerOcspRoutes } from '../../src/ocsp/http/ocsp.routes.js';
import { SigningPool } from '../../src/signing/signing-pool.js';
import { FileKeySigner } from '../../src/signing/file-key.signer.js';
import { RecordIssuanceUseCase } from '../../src/certificates/application/record-issuance.use-case.js';
import { RevokeCertificateUseCase } from '../../src/certificates/application/revoke-certificate.use-case.js';
import { ReleaseCertificateUseCase } from '../../src/certificates/application/release-certificate.use-case.js';
import { pemToDer } from '../../src/pki/certificate-info.js';
import type { TestCa } from './test-pki.js';

export class InMemoryStatusRepository extends CertificateStatusRepository {
  readonly rows = new Map<string, CertificateStatus>();
  failing = false;
  async find(issuerId: string, serial: string) {
    if (this.failing) throw new Error('database down');
    return this.rows.get(`${issuerId}:${serial}`) ?? null;
  }
  async save(s: CertificateStatus) {
    this.rows.set(`${s.issuerId}:${s.serial}`, s);
  }
  async findMany(issuerId: string, serials: string[]) {
    if (this.failing) throw new Error('database down');
    const found = new Map<string, CertificateStatus>();
    for (const serial of serials) {
      const s = this.rows.get(`${issuerId}:${serial}`);
      if (s) found.set(serial, s);
    }
    return found;
  }
  async saveMany(statuses: CertificateStatus[]) {
    for (const s of statuses) await this.save(s);
  }
  async findAll() {
    if (this.failing) throw new Error('database down');
    return [...this.rows.values()];
  }
  async findRevoked(issuerId: string) {
    return [...this.rows.values()].filter((s) => s.issuerId === issuerId && s.state !== 'good');
  }
}

/** No database: `run` is the transaction, committed when `work` resolves; its after-commit effects are awaited then. */
export class ImmediateTransactionRunner extends TransactionRunner {
  private readonly active = new AsyncLocalStorage<AfterCommitEffect[]>();

  async run<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    if (this.active.getStore()) return work({} as EntityManager);
    const effects: AfterCommitEffect[] = [];
    const result = await this.active.run(effects, () => work({} as EntityManager));
    for (const effect of effects) await effect();
    return result;
  }

  override afterCommit(effect: AfterCommitEffect): void {
    const effects = this.active.getStore();
    if (effects) effects.push(effect);
    else void effect();
  }

  manager(): EntityManager {
    return {} as EntityManager;
  }
}

/** The OCSP core without Nest or Postgres: real signing pool, real Fastify, in-memory stores. */
export class CoreHarness {
  readonly pool = new SigningPool(1);
  readonly directory = new IssuerDirectory();
  readonly book = new StatusBook();
  readonly cache = new PresignedResponseCache();
  readonly metrics = new MetricsRegistry('ocsp-responder-test');
  readonly store = new InMemoryPresignedResponseStore();
  readonly storeWriter = new PresignedResponseWriter(this.store);
  readonly statuses = new InMemoryStatusRepository();
  readonly effects = new StatusChangeEffects(this.book);
  readonly signer: ResponseSigner;
  readonly presigner: Presigner;
  readonly restorer: PresignedResponseRestorer;
  readonly responder: OcspResponder;
  readonly refresh: PresignRefreshJob;
  readonly recordIssuance: RecordIssuanceUseCase;
  readonly revoke: RevokeCertificateUseCase;
  readonly release: ReleaseCertificateUseCase;
  readonly app: FastifyInstance = Fastify();
  url = '';

  /** One sample of a metric as Prometheus would scrape it, by its labels. */
  async metric(name: string, labels: Record<string, string> = {}): Promise<number> {
    const { values } = await this.metrics.registry.getSingleMetric(name)!.get();
    const sample = values.find((v) => Object.entries(labels).every(([k, want]) => String(v.labels[k]) === want));
    return sample?.value ?? 0;
  }

  constructor(
    readonly policy: OcspPolicy = { ...DEFAULT_OCSP_POLICY },
    limiter: LiveSigningLimiter = new UnboundedLiveSigning(),
  ) {
    const metrics = new PrometheusOcspMetrics(this.metrics, this.cache);
    this.signer = new ResponseSigner(this.book, policy, metrics);
    this.presigner = new Presigner(this.directory, this.book, this.cache, this.signer, this.storeWriter);
    this.restorer = new PresignedResponseRestorer(this.store, this.directory, this.book, this.cache, this.signer);
    this.responder = new OcspResponder(this.directory, this.book, this.presigner, this.signer, policy, metrics, undefined, limiter);
    this.refresh = new PresignRefreshJob(this.presigner, this.directory, this.book, this.cache, policy);
    this.effects.listen(new PresignedStatusListener(this.presigner, 8));
    const tx = new ImmediateTransactionRunner();
    this.recordIssuance = new RecordIssuanceUseCase(tx, this.statuses, this.directory, this.effects);
    this.revoke = new RevokeCertificateUseCase(tx, this.statuses, this.directory, this.effects);
    this.release = new ReleaseCertificateUseCase(tx, this.statuses, this.directory, this.effects);
    registerOcspRoutes(this.app, this.responder, { maxRequestBytes: 8192 });
  }

  addIssuer(alias: string, ca: TestCa, signerIdentity: TestCa | null = null) {
    const signer = FileKeySigner.fromPem((signerIdentity ?? ca).keyPem, this.pool);
    return this.directory.activate(
      {
        id: randomUUID(),
        alias,
        certificateDer: pemToDer(ca.certPem),
        responderCertificateDer: signerIdentity ? pemToDer(signerIdentity.certPem) : null,
        signingKeyRef: 'inline',
        crlKeyRef: null,
        createdAt: new Date(),
      },
      signer,
      this.policy.responderId,
    );
  }

  async start(): Promise<void> {
    this.book.load(await this.statuses.findAll());
    this.url = await this.app.listen({ port: 0, host: '127.0.0.1' });
  }

  async close(): Promise<void> {
    await this.app.close();
    await this.refresh.stop();
    await this.storeWriter.close();
    await this.pool.close();
  }
}
