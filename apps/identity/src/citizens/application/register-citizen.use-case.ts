import { Injectable } from '@nestjs/common';
import { v7 as uuidv7 } from 'uuid';
import { TransactionRunner } from '@darvazeh/database';
import { OutboxWriter } from '@darvazeh/messaging';
import { CITIZEN_REGISTERED_V1, type CitizenRegisteredV1 } from '@darvazeh/contracts';
import { Clock } from '../../shared/clock.js';
import { Citizen } from '../domain/citizen.js';
import { CitizenAlreadyRegisteredError, MobileNotOwnedError } from '../domain/citizen.errors.js';
import { CitizenRepository } from '../domain/citizen.repository.js';
import { SubscriberOwnershipRegistry } from '../domain/subscriber-ownership.js';

/**
 * Registers a citizen whose mobile the operators' subscriber records (identity's Shahkar
 * projection of `hamta.subscribers`) bind to the national code today: the login code then goes
 * to the owner's own line, not to whoever typed the national code.
 */
@Injectable()
export class RegisterCitizenUseCase {
  constructor(
    private readonly tx: TransactionRunner,
    private readonly citizens: CitizenRepository,
    private readonly ownerships: SubscriberOwnershipRegistry,
    private readonly outbox: OutboxWriter,
    private readonly clock: Clock,
  ) {}

  async execute(input: { nationalCode: string; mobile: string }): Promise<Citizen> {
    const now = this.clock.now();
    const citizen = Citizen.register({ id: uuidv7(), ...input, now });
    await this.tx.run(async (manager) => {
      // Ownership first: only someone holding a line of this national code learns whether it
      // is registered already (the 409 below).
      if ((await this.ownerships.ownerAt(citizen.mobile, now)) !== citizen.nationalCode) throw new MobileNotOwnedError();
      if (await this.citizens.findByNationalCode(citizen.nationalCode)) throw new CitizenAlreadyRegisteredError();
      await this.citizens.insert(citizen);
      const data: CitizenRegisteredV1 = {
        citizenId: citizen.id,
        nationalCode: citizen.nationalCode,
        registeredAt: now.toISOString(),
      };
      await this.outbox.append(manager, [{ type: CITIZEN_REGISTERED_V1, subject: citizen.id, data, time: now }]);
    });
    return citizen;
  }
}
