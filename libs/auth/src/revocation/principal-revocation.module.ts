import { Module, type DynamicModule } from '@nestjs/common';
import { PrincipalRevocationConsumer } from './principal-revocation.consumer.js';
import {
  DEFAULT_PRINCIPAL_REVOCATION_OPTIONS,
  PRINCIPAL_REVOCATION_OPTIONS,
  PrincipalRevocationRefresher,
  type PrincipalRevocationOptions,
} from './principal-revocation.refresher.js';
import { PrincipalRevocationStore } from './principal-revocation.store.js';

/**
 * Immediate revocation for any service: add `PrincipalRevocationModule` to the app module's
 * imports and `...principalRevocationMigrations` to its migrations. The service then consumes
 * `identity.principals` (principal.disabled / principal.enabled / agency.disabled) into its own
 * `principal_revocations` table, and the global JWT guard refuses a disabled principal's tokens
 * with 403 `AUTH.PRINCIPAL_DISABLED` from the moment the event is committed.
 */
@Module({
  controllers: [PrincipalRevocationConsumer],
  providers: [PrincipalRevocationStore, PrincipalRevocationRefresher],
})
export class PrincipalRevocationModule {
  /** With non-default options (tests, or a slower re-read in a large deployment). */
  static withOptions(options: Partial<PrincipalRevocationOptions>): DynamicModule {
    return {
      module: PrincipalRevocationModule,
      providers: [{ provide: PRINCIPAL_REVOCATION_OPTIONS, useValue: { ...DEFAULT_PRINCIPAL_REVOCATION_OPTIONS, ...options } }],
    };
  }
}
