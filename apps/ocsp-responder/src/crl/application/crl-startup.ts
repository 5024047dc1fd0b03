import type { IssuerDirectory } from '../../issuers/application/issuer-directory.js';
import type { CrlRepository } from '../domain/crl.repository.js';
import type { CrlScheduler } from './crl-scheduler.js';
import type { LatestCrls } from './latest-crls.js';
import type { CrlSettings } from './crl-settings.js';

/** At start: the latest CRL of every issuer into memory, then the periodic re-publication. */
export class CrlStartup {
  constructor(
    private readonly directory: IssuerDirectory,
    private readonly crls: CrlRepository,
    private readonly latest: LatestCrls,
    private readonly scheduler: CrlScheduler,
    private readonly settings: CrlSettings,
  ) {}

  async load(): Promise<void> {
    for (const active of this.directory.all()) {
      const latest = await this.crls.latest(active.issuer.id);
      if (latest) this.latest.put(latest);
      const delta = await this.crls.latestDelta(active.issuer.id);
      if (delta) this.latest.putDelta(delta);
    }
  }

  start(): void {
    this.scheduler.start(Math.max(60_000, (this.settings.validitySeconds * 1000) / 8));
  }

  refreshDue(): Promise<void> {
    return this.scheduler.refreshDue();
  }

  stop(): void {
    this.scheduler.stop();
  }
}
