import { Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { RotateSigningKeyUseCase } from './rotate-signing-key.use-case.js';

/**
 * Runs key maintenance on a timer: rotates when the active key is older than
 * SIGNING_KEY_ROTATION_INTERVAL_SECONDS and retires keys whose last token has expired. Every
 * replica runs it; the advisory lock in the use case makes concurrent runs harmless.
 */
@Injectable()
export class SigningKeyScheduler implements OnApplicationShutdown {
  private readonly logger = new Logger('SigningKeys');
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;

  constructor(private readonly rotate: RotateSigningKeyUseCase) {}

  start(everySeconds: number): void {
    this.timer = setInterval(() => void this.tick(), everySeconds * 1000);
    this.timer.unref();
  }

  async tick(): Promise<void> {
    if (this.running) return this.running;
    this.running = (async () => {
      try {
        const r = await this.rotate.execute({ mode: 'if-due' });
        if (r.rotated) this.logger.log(`rotated signing key: ${r.activeKid} is active`);
        if (r.retiredKids.length > 0) this.logger.log(`retired signing keys ${r.retiredKids.join(', ')}`);
      } catch (error) {
        this.logger.error(`signing key maintenance failed: ${error instanceof Error ? error.message : String(error)}`);
      } finally {
        this.running = undefined;
      }
    })();
    return this.running;
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }
}
