import { Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import type { StatusLoader } from './certificates/application/status-loader.js';
import type { PresignedResponseRestorer } from './presigned-responses/application/presigned-response.restorer.js';
import type { PresignRefreshJob } from './presigned-responses/application/presign-refresh.job.js';
import type { PresignedResponseWriter } from './presigned-responses/application/presigned-response.writer.js';
import type { CrlStartup } from './crl/application/crl-startup.js';
import type { SigningPool } from './signing/signing-pool.js';
import type { BulkPresigner } from './presigned-responses/application/bulk-presigner.js';

/**
 * Brings the responder up: issuers and every status into memory, the stored pre-signed
 * responses that are still valid under the current signing profile, the latest CRLs; then the
 * background re-signing (which signs whatever was not restored) and CRL jobs. If the status
 * store cannot be read the responder answers tryLater and keeps retrying.
 */
export class ResponderStartup implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('ResponderStartup');
  private retry: NodeJS.Timeout | null = null;

  constructor(
    private readonly statuses: StatusLoader,
    private readonly presigned: PresignedResponseRestorer,
    private readonly refresh: PresignRefreshJob,
    private readonly crl: CrlStartup,
    private readonly storeWriter: PresignedResponseWriter,
    private readonly pool: SigningPool,
    private readonly refreshIntervalMs: number,
    private readonly bulk: BulkPresigner | null = null,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.load();
    this.refresh.start(this.refreshIntervalMs);
    this.crl.start();
  }

  /** Loads everything; on failure stays not-ready (tryLater) and retries. */
  async load(): Promise<void> {
    try {
      const loaded = await this.statuses.load();
      const restored = await this.presigned.restore();
      await this.crl.load();
      this.logger.log(
        `loaded ${loaded.issuers} issuers, ${loaded.statuses} statuses, ${restored.restored} pre-signed responses ` +
          `(dropped: ${restored.staleStatus} from an older status, ${restored.otherProfile} signed under another signing profile)`,
      );
      void this.refresh.runOnce().catch((err: unknown) => this.logger.error(err));
      void this.crl.refreshDue().catch((err: unknown) => this.logger.error(err));
    } catch (err) {
      this.statuses.markUnavailable();
      this.logger.error(`status store unavailable, answering tryLater: ${String(err)}`);
      this.retry = setTimeout(() => void this.load(), 5_000);
      this.retry.unref();
    }
  }

  async onModuleDestroy(): Promise<void> {
    if (this.retry) clearTimeout(this.retry);
    this.crl.stop();
    await this.refresh.stop();
    // Stops after the page in hand: what it has not reached is signed at the next start.
    await this.bulk?.close();
    await this.storeWriter.close();
    await this.pool.close();
  }
}
