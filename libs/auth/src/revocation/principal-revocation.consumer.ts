import { Controller, Inject } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import {
  AGENCY_DISABLED_V1,
  PRINCIPAL_DISABLED_V1,
  PRINCIPAL_ENABLED_V1,
  type AgencyDisabledV1,
  type PrincipalDisabledV1,
  type PrincipalEnabledV1,
} from '@darvazeh/contracts';
import { TransactionRunner } from '@darvazeh/database';
import { PrincipalDenylist } from './principal-denylist.js';
import { PrincipalRevocationStore, type PrincipalStateChange } from './principal-revocation.store.js';

/**
 * Reads `identity.principals` (idempotent consumer of libs/messaging: the transport records the
 * event id in the same transaction) and keeps the denylist: the row commits with the event,
 * the in-memory set changes only once that transaction has committed.
 */
@Controller()
export class PrincipalRevocationConsumer {
  constructor(
    @Inject(TransactionRunner) private readonly tx: TransactionRunner,
    @Inject(PrincipalRevocationStore) private readonly store: PrincipalRevocationStore,
    @Inject(PrincipalDenylist) private readonly denylist: PrincipalDenylist,
  ) {}

  @EventPattern<string>(PRINCIPAL_DISABLED_V1)
  async principalDisabled(@Payload() data: PrincipalDisabledV1): Promise<void> {
    await this.apply({ subject: data.subject, principalId: data.principalId, kind: data.kind, disabled: true, at: new Date(data.at) });
  }

  @EventPattern<string>(PRINCIPAL_ENABLED_V1)
  async principalEnabled(@Payload() data: PrincipalEnabledV1): Promise<void> {
    await this.apply({ subject: data.subject, principalId: data.principalId, kind: data.kind, disabled: false, at: new Date(data.at) });
  }

  /** An agency's tokens carry its client id as `sub` (RFC 9068). */
  @EventPattern<string>(AGENCY_DISABLED_V1)
  async agencyDisabled(@Payload() data: AgencyDisabledV1): Promise<void> {
    await this.apply({ subject: data.clientId, principalId: data.agencyId, kind: 'agency', disabled: true, at: new Date(data.disabledAt) });
  }

  private async apply(change: PrincipalStateChange): Promise<void> {
    await this.tx.run(async () => {
      if (await this.store.record(change)) {
        this.tx.afterCommit(() => this.denylist.set(change.subject, change.disabled));
      }
    });
  }
}
