import { Inject, Injectable, Logger, Optional, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { PrincipalDenylist } from './principal-denylist.js';
import { PrincipalRevocationStore } from './principal-revocation.store.js';

export const PRINCIPAL_REVOCATION_OPTIONS = Symbol('PRINCIPAL_REVOCATION_OPTIONS');

export interface PrincipalRevocationOptions {
  /**
   * How often the denylist is re-read from the table (default 2000 ms). The replica that
   * consumes an event updates its set at once; the others (one consumer group per service)
   * see it at their next read.
   */
  refreshIntervalMs: number;
}

export const DEFAULT_PRINCIPAL_REVOCATION_OPTIONS: PrincipalRevocationOptions = { refreshIntervalMs: 2000 };

/** Loads the denylist before the service serves, then keeps it in step with the table. */
@Injectable()
export class PrincipalRevocationRefresher implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('PrincipalRevocation');
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private readonly options: PrincipalRevocationOptions;

  constructor(
    @Inject(PrincipalRevocationStore) private readonly store: PrincipalRevocationStore,
    @Inject(PrincipalDenylist) private readonly denylist: PrincipalDenylist,
    @Optional() @Inject(PRINCIPAL_REVOCATION_OPTIONS) options?: PrincipalRevocationOptions,
  ) {
    this.options = options ?? DEFAULT_PRINCIPAL_REVOCATION_OPTIONS;
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.refresh();
    if (this.options.refreshIntervalMs > 0) {
      this.timer = setInterval(() => {
        this.refresh().catch((error: unknown) =>
          this.logger.warn(`denylist refresh failed (kept the previous one): ${error instanceof Error ? error.message : String(error)}`),
        );
      }, this.options.refreshIntervalMs);
      this.timer.unref();
    }
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.running?.catch(() => undefined);
  }

  /** One read at a time: a slow database never piles up overlapping reloads. */
  refresh(): Promise<void> {
    this.running ??= this.denylist.reload(() => this.store.disabledSubjects()).finally(() => {
      this.running = undefined;
    });
    return this.running;
  }
}
