import { Inject, Injectable } from '@nestjs/common';
import { TransactionRunner } from '@darvazeh/database';
import { OutboxWriter } from '@darvazeh/messaging';
import { forbidden, notFound } from '../../shared/domain/gsb.errors.js';
import type { Actor } from '../../shared/domain/actor.js';
import { changeGrant, mayChangeGrant, maySeeGrant, type Grant, type GrantAction } from '../domain/grant.js';
import { GrantRepository } from '../domain/grant.repository.js';
import { grantEvent } from './grant-events.js';

/** An admin or the provider suspends, reinstates or revokes a grant; the new state goes out on gsb.grants. */
@Injectable()
export class ChangeGrantStatusUseCase {
  constructor(
    @Inject(TransactionRunner) private readonly tx: TransactionRunner,
    @Inject(OutboxWriter) private readonly outbox: OutboxWriter,
    @Inject(GrantRepository) private readonly grants: GrantRepository,
  ) {}

  async execute(actor: Actor, grantId: string, action: GrantAction, reason: string | null): Promise<Grant> {
    return this.tx.run(async (m) => {
      const g = await this.grants.get(grantId, true);
      if (!g || !maySeeGrant(actor, g)) throw notFound('GSB.GRANT_NOT_FOUND', `no grant ${grantId}`);
      if (!mayChangeGrant(actor, g)) throw forbidden('GSB.NOT_PROVIDER', "only an admin or the service's provider changes a grant");
      const next = changeGrant(g, action, reason, new Date());
      await this.grants.save(next);
      await this.outbox.append(m, [grantEvent(next, action)]);
      return next;
    });
  }
}
