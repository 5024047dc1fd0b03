import { Injectable } from '@nestjs/common';
import type { Citizen } from '../domain/citizen.js';
import { CitizenNotFoundError } from '../domain/citizen.errors.js';
import { CitizenRepository } from '../domain/citizen.repository.js';

/** The caller's own profile: the id comes from the verified token, never from the request. */
@Injectable()
export class GetCitizenProfileUseCase {
  constructor(private readonly citizens: CitizenRepository) {}

  async execute(input: { citizenId: string }): Promise<Citizen> {
    const citizen = await this.citizens.findById(input.citizenId);
    if (!citizen) throw new CitizenNotFoundError();
    return citizen;
  }
}
