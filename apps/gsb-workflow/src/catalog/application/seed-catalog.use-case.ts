import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { TransactionRunner } from '@darvazeh/database';
import { OutboxWriter } from '@darvazeh/messaging';
import { GsbSettings } from '../../config/gsb-settings.js';
import type { CatalogService } from '../domain/catalog-service.js';
import { CatalogRepository } from '../domain/catalog.repository.js';
import { serviceChanged } from './catalog-events.js';

/**
 * Seeds the catalog with the platform's own services at start. An entry is written (and
 * published, so the gateway learns it) only when its code is new: a restart, or a provider's
 * later edit, is never overwritten.
 */
@Injectable()
export class SeedCatalogUseCase implements OnApplicationBootstrap {
  private readonly logger = new Logger('SeedCatalog');

  constructor(
    @Inject(TransactionRunner) private readonly tx: TransactionRunner,
    @Inject(OutboxWriter) private readonly outbox: OutboxWriter,
    @Inject(CatalogRepository) private readonly catalog: CatalogRepository,
    @Inject(GsbSettings) private readonly settings: GsbSettings,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!this.settings.seed.enabled) return;
    const added = await this.execute();
    const placeholder = this.settings.seed.placeholderProviders.filter((code) => added.includes(code));
    if (placeholder.length > 0) {
      this.logger.warn(
        `seeded ${placeholder.join(', ')} with the placeholder provider agency id: set CATALOG_SEED_PROVIDER_AGENCY_ID (or CATALOG_SEED_<SERVICE>_PROVIDER_AGENCY_ID) to the agency ids identity assigned, or an admin moves them with PATCH /catalog/services/{code}`,
      );
    }
  }

  /** Returns the codes it added. */
  async execute(): Promise<string[]> {
    const now = new Date();
    return this.tx.run(async (m) => {
      const added: string[] = [];
      for (const s of this.settings.seed.services) {
        const service: CatalogService = {
          ...s,
          environments: s.environments as CatalogService['environments'],
          status: 'ACTIVE',
          version: 1,
          createdAt: now,
          changedAt: now,
        };
        if (await this.catalog.insert(service)) {
          await this.outbox.append(m, [serviceChanged(service)]);
          added.push(service.code);
        }
      }
      return added;
    });
  }
}
