import { Injectable } from '@nestjs/common';
import { PRINCIPAL_DISABLED_V1, type PrincipalDisabledV1 } from '@darvazeh/contracts';
import { TransactionRunner } from '@darvazeh/database';
import { OutboxWriter } from '@darvazeh/messaging';
import { Clock } from '../../shared/clock.js';
import type { Citizen } from '../domain/citizen.js';
import { CitizenNotFoundError } from '../domain/citizen.errors.js';
import { CitizenRepository } from '../domain/citizen.repository.js';

/** No login codes, no tokens; `principal.disabled` makes every service refuse the tokens already issued. */
@Injectable()
export class DisableCitizenUseCase {
  constructor(
    private readonly tx: TransactionRunner,
    private readonly citizens: CitizenRepository,
    private readonly outbox: OutboxWriter,
    private readonly clock: Clock,
  ) {}

  async execute(input: { citizenId: string }): Promise<Citizen> {
    return this.tx.run(async (manager) => {
      const now = this.clock.now();
      const citizen = await this.citizens.findById(input.citizenId);
      if (!citizen) throw new CitizenNotFoundError();
      citizen.disable(now);
      await this.citizens.update(citizen);
      // A citizen token's `sub` is the citizen id.
      const data: PrincipalDisabledV1 = { principalId: citizen.id, subject: citizen.id, kind: 'citizen', at: now.toISOString() };
      await this.outbox.append(manager, [{ type: PRINCIPAL_DISABLED_V1, subject: citizen.id, data, time: now }]);
      return citizen;
    });
  }
}
