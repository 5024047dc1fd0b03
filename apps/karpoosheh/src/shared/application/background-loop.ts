import { Logger } from '@nestjs/common';

/**
 * Runs `step` repeatedly: again at once while it reports work done, else after `idleMs`.
 * Errors are logged and retried after the idle delay; `stop` waits for the step in flight.
 */
export class BackgroundLoop {
  private running = false;
  private loop: Promise<void> | undefined;
  private wake: (() => void) | undefined;
  private readonly logger: Logger;

  constructor(
    private readonly name: string,
    private readonly step: () => Promise<boolean>,
    private readonly idleMs: number,
  ) {
    this.logger = new Logger(name);
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  /** Runs the next step now instead of after the idle delay. */
  nudge(): void {
    this.wake?.();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.wake?.();
    await this.loop;
  }

  private async run(): Promise<void> {
    while (this.running) {
      let busy = false;
      try {
        busy = await this.step();
      } catch (error) {
        this.logger.warn(`${this.name} step failed: ${error instanceof Error ? error.message : String(error)}`);
      }
      if (busy || !this.running) continue;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, this.idleMs);
        function done() {
          clearTimeout(timer);
          resolve();
        }
        this.wake = () => {
          this.wake = undefined;
          done();
        };
      });
    }
  }
}
