import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { EnsureBootstrapAdminUseCase } from './clients/application/ensure-bootstrap-admin.use-case.js';
import { IdentityEnv } from './config/identity.env.js';
import { RotateSigningKeyUseCase } from './signing-keys/application/rotate-signing-key.use-case.js';
import { SigningKeyScheduler } from './signing-keys/application/signing-key-scheduler.js';

/**
 * After migrations (startService runs them before listen, and this hook runs on listen): make
 * sure a signing key exists, create the bootstrap admin if configured and absent, start key
 * maintenance.
 */
@Injectable()
export class IdentityStartup implements OnApplicationBootstrap {
  private readonly logger = new Logger('IdentityStartup');

  constructor(
    private readonly env: IdentityEnv,
    private readonly rotate: RotateSigningKeyUseCase,
    private readonly bootstrapAdmin: EnsureBootstrapAdminUseCase,
    private readonly scheduler: SigningKeyScheduler,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const keys = await this.rotate.execute({ mode: 'if-missing' });
    if (keys.rotated) this.logger.log(`created first signing key ${keys.activeKid}`);
    if (this.env.BOOTSTRAP_ADMIN_CLIENT_ID && this.env.BOOTSTRAP_ADMIN_CLIENT_SECRET) {
      const outcome = await this.bootstrapAdmin.execute({
        clientId: this.env.BOOTSTRAP_ADMIN_CLIENT_ID,
        clientSecret: this.env.BOOTSTRAP_ADMIN_CLIENT_SECRET,
      });
      if (outcome === 'created') this.logger.log(`created bootstrap admin ${this.env.BOOTSTRAP_ADMIN_CLIENT_ID}`);
    }
    this.scheduler.start(this.env.SIGNING_KEY_CHECK_INTERVAL_SECONDS);
  }
}
