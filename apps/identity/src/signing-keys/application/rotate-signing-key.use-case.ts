import { Injectable } from '@nestjs/common';
import { TransactionRunner } from '@darvazeh/database';
import { Clock } from '../../shared/clock.js';
import { IdentitySettings } from '../../config/identity-settings.js';
import { KeyPairGenerator } from '../domain/key-material.js';
import { PrivateKeyCipher } from '../domain/private-key-cipher.js';
import { SigningKey } from '../domain/signing-key.js';
import { SigningKeyRepository } from '../domain/signing-key.repository.js';

export interface RotationResult {
  activeKid: string;
  /** Whether a new key was created by this call. */
  rotated: boolean;
  retiringKids: string[];
  retiredKids: string[];
}

export type RotationMode = 'force' | 'if-due' | 'if-missing';

/**
 * Creates a new active key (force, due by age, or none active yet), moves the previous one to
 * retiring (published until its last token expired), and retires keys past that point.
 * One transaction under an advisory lock, so replicas never race to two active keys.
 */
@Injectable()
export class RotateSigningKeyUseCase {
  constructor(
    private readonly tx: TransactionRunner,
    private readonly keys: SigningKeyRepository,
    private readonly generator: KeyPairGenerator,
    private readonly cipher: PrivateKeyCipher,
    private readonly settings: IdentitySettings,
    private readonly clock: Clock,
  ) {}

  async execute(input: { mode: RotationMode }): Promise<RotationResult> {
    // Key generation is CPU work; do it before taking the lock and opening the transaction.
    const material = input.mode === 'force' ? await this.generator.generate() : undefined;
    return this.tx.run(async () => {
      await this.keys.lockForRotation();
      const now = this.clock.now();
      const unretired = await this.keys.findUnretired();
      const retiredKids: string[] = [];
      for (const key of unretired) {
        if (key.retireIfExpired(now)) {
          await this.keys.update(key);
          retiredKids.push(key.kid);
        }
      }
      let active = unretired.find((k) => k.status === 'active') ?? null;
      const due =
        input.mode === 'force' ||
        active === null ||
        (input.mode === 'if-due' && active.isRotationDue(now, this.settings.keyRotationIntervalSeconds));
      let rotated = false;
      if (due) {
        if (active) {
          active.deactivate(now, this.settings.keyLifetimes);
          await this.keys.update(active);
        }
        const m = material ?? (await this.generator.generate());
        const created = SigningKey.create({
          kid: m.kid,
          publicJwk: m.publicJwk,
          privateKeyCiphertext: this.cipher.encrypt(m.privateKeyPkcs8, m.kid),
          now,
        });
        await this.keys.insert(created);
        active = created;
        rotated = true;
      }
      const retiringKids = (await this.keys.findUnretired()).filter((k) => k.status === 'retiring').map((k) => k.kid);
      return { activeKid: active!.kid, rotated, retiringKids, retiredKids };
    });
  }
}
