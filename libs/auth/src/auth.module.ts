import { Module, type DynamicModule } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { JwtAuthGuard } from './jwt-auth.guard.js';
import { JwtVerifier, type AuthOptions } from './jwt-verifier.js';
import { RolesGuard } from './roles.guard.js';
import { PrincipalDenylist } from './revocation/principal-denylist.js';

@Module({})
export class AuthModule {
  static forService(options: AuthOptions): DynamicModule {
    const denylist = new PrincipalDenylist();
    return {
      module: AuthModule,
      global: true,
      providers: [
        { provide: PrincipalDenylist, useValue: denylist },
        { provide: JwtVerifier, useValue: new JwtVerifier(options, denylist) },
        // Order matters: authenticate first, then check roles.
        { provide: APP_GUARD, useClass: JwtAuthGuard },
        { provide: APP_GUARD, useClass: RolesGuard },
      ],
      exports: [JwtVerifier, PrincipalDenylist],
    };
  }
}
