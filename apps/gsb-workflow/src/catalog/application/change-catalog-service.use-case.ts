import { Inject, Injectable } from '@nestjs/common';
import { TransactionRunner } from '@darvazeh/database';
import { OutboxWriter } from '@darvazeh/messaging';
import { forbidden, invalid, notFound } from '../../shared/domain/gsb.errors.js';
import type { Actor } from '../../shared/domain/actor.js';
import { catalogProblems, mayManage, type CatalogService, type CatalogServiceFields } from '../domain/catalog-service.js';
import { CatalogRepository } from '../domain/catalog.repository.js';
import { serviceChanged } from './catalog-events.js';

/** The provider (or an admin) edits an entry or changes its status; the new state is published. */
@Injectable()
export class ChangeCatalogServiceUseCase {
  constructor(
    @Inject(TransactionRunner) private readonly tx: TransactionRunner,
    @Inject(OutboxWriter) private readonly outbox: OutboxWriter,
    @Inject(CatalogRepository) private readonly catalog: CatalogRepository,
  ) {}

  async execute(actor: Actor, code: string, change: Omit<CatalogServiceFields, 'code'> & { reason?: string }): Promise<CatalogService> {
    return this.tx.run(async (m) => {
      const current = await this.catalog.find(code, true);
      if (!current) throw notFound('GSB.SERVICE_NOT_FOUND', `the catalog has no service ${code}`);
      if (!mayManage(actor, current.providerAgencyId)) throw forbidden('GSB.NOT_PROVIDER', 'only the provider of a service or an admin changes it');
      if (change.providerAgencyId !== undefined && change.providerAgencyId !== current.providerAgencyId && !actor.roles.includes('admin')) {
        throw forbidden('GSB.NOT_PROVIDER', 'only an admin moves a service to another provider');
      }
      const next = { ...current, ...Object.fromEntries(Object.entries(change).filter(([k, v]) => v !== undefined && k !== 'reason')) } as CatalogService;
      const problems = catalogProblems(next);
      if (problems.length > 0) throw invalid('GSB.CATALOG_ENTRY_INVALID', 'the catalog entry would be malformed', problems);
      next.providerAgencyId = next.providerAgencyId.toLowerCase();
      next.version = current.version + 1;
      next.changedAt = new Date();
      await this.catalog.update(next);
      await this.outbox.append(m, [serviceChanged(next, change.reason ?? null)]);
      return next;
    });
  }
}
