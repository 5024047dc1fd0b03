import { Injectable } from '@nestjs/common';
import { TransactionRunner } from '@darvazeh/database';
import type { GsbGrantStateV1, GsbServiceChangedV1 } from '@darvazeh/contracts';
import type { GsbEnvironment } from '@darvazeh/core';
import type { CatalogEntry, Grant } from '../domain/access-decision.js';
import { GsbProjectionRepository } from '../domain/gsb-projection.repository.js';
import { GsbDirectory } from './gsb-directory.js';

/** A grant event (any of issued/suspended/reinstated/revoked): its full state, highest version wins. */
@Injectable()
export class ApplyGrantStateUseCase {
  constructor(
    private readonly tx: TransactionRunner,
    private readonly repo: GsbProjectionRepository,
    private readonly directory: GsbDirectory,
  ) {}

  async execute(state: GsbGrantStateV1): Promise<void> {
    const grant: Grant = {
      grantId: state.grantId,
      consumerAgencyId: state.consumerAgencyId,
      providerAgencyId: state.providerAgencyId,
      serviceCode: state.serviceCode,
      environment: state.environment,
      status: state.status,
      quotaPerMinute: state.quotaPerMinute,
      quotaPerDay: state.quotaPerDay,
      validFrom: new Date(state.validFrom),
      validUntil: state.validUntil ? new Date(state.validUntil) : null,
      version: state.version,
    };
    await this.tx.run(async () => {
      if (await this.repo.upsertGrant(grant, new Date(state.changedAt))) this.tx.afterCommit(() => this.directory.putGrant(grant));
    });
  }
}

/** A catalog entry changed at gsb-workflow (full state, highest version wins over seeds too). */
@Injectable()
export class ApplyServiceChangeUseCase {
  constructor(
    private readonly tx: TransactionRunner,
    private readonly repo: GsbProjectionRepository,
    private readonly directory: GsbDirectory,
  ) {}

  async execute(event: GsbServiceChangedV1): Promise<void> {
    const entry: CatalogEntry = {
      serviceCode: event.serviceCode,
      title: event.title,
      providerAgencyId: event.providerAgencyId,
      environments: event.environments as GsbEnvironment[],
      upstreamUrl: event.upstreamUrl,
      status: event.status,
      version: event.version,
    };
    await this.store(entry, new Date(event.changedAt));
  }

  /** Seeds and events both land here. */
  async store(entry: CatalogEntry, changedAt: Date): Promise<void> {
    await this.tx.run(async () => {
      if (await this.repo.upsertService(entry, changedAt)) this.tx.afterCommit(() => this.directory.putService(entry));
    });
  }
}
