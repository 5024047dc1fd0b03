import { Injectable } from '@nestjs/common';
import { Clock } from '../../shared/clock.js';
import type { PublicJwk } from '../domain/signing-key.js';
import { SigningKeyRepository } from '../domain/signing-key.repository.js';

/** The public keys verifiers must accept now: the active one and those still retiring. */
@Injectable()
export class GetJwksUseCase {
  constructor(
    private readonly keys: SigningKeyRepository,
    private readonly clock: Clock,
  ) {}

  async execute(): Promise<{ keys: PublicJwk[] }> {
    const now = this.clock.now();
    const keys = await this.keys.findUnretired();
    return { keys: keys.filter((k) => k.isPublished(now)).map((k) => k.publicJwk) };
  }
}
