import { Inject, Injectable } from '@nestjs/common';
import { TransactionRunner } from '@darvazeh/database';
import { OutboxWriter } from '@darvazeh/messaging';
import { conflict, forbidden, invalid } from '../../shared/domain/gsb.errors.js';
import type { Actor } from '../../shared/domain/actor.js';
import { catalogProblems, mayManage, type CatalogService, type CatalogServiceFields } from '../domain/catalog-service.js';
import { CatalogRepository } from '../domain/catalog.repository.js';
import { serviceChanged } from './catalog-events.js';

/** A provider (or an admin) adds a service to the catalog: stored and published on gsb.catalog together. */
@Injectable()
export class RegisterCatalogServiceUseCase {
  constructor(
    @Inject(TransactionRunner) private readonly tx: TransactionRunner,
    @Inject(OutboxWriter) private readonly outbox: OutboxWriter,
    @Inject(CatalogRepository) private readonly catalog: CatalogRepository,
  ) {}

  async execute(actor: Actor, input: CatalogServiceFields): Promise<CatalogService> {
    const fields = { status: 'ACTIVE', description: '', ...input, providerAgencyId: input.providerAgencyId ?? actor.agencyId };
    const problems = catalogProblems(fields);
    if (problems.length > 0) throw invalid('GSB.CATALOG_ENTRY_INVALID', 'the catalog entry is incomplete or malformed', problems);
    if (!mayManage(actor, fields.providerAgencyId!)) {
      throw forbidden('GSB.NOT_PROVIDER', 'an agency adds services only under its own agency id', 'Omit providerAgencyId, or ask an admin.');
    }
    const now = new Date();
    const service: CatalogService = {
      code: fields.code!,
      title: fields.title!.trim(),
      description: fields.description ?? '',
      providerAgencyId: fields.providerAgencyId!.toLowerCase(),
      environments: [...new Set(fields.environments!)] as CatalogService['environments'],
      upstreamUrl: fields.upstreamUrl!,
      status: fields.status as CatalogService['status'],
      version: 1,
      createdAt: now,
      changedAt: now,
    };
    return this.tx.run(async (m) => {
      if (!(await this.catalog.insert(service))) throw conflict('GSB.SERVICE_CODE_TAKEN', `the catalog already has a service ${service.code}`);
      await this.outbox.append(m, [serviceChanged(service)]);
      return service;
    });
  }
}
