import { Module, type DynamicModule } from '@nestjs/common';
import { ServiceEnv } from './service.env.js';

/**
 * Makes an already validated env instance injectable, under its own class (so an app injects
 * `IdentityEnv`) and under `ServiceEnv` (so libs read the shared part without knowing the app).
 * Validation happens before Nest boots (`loadEnv`), so a bad env never half-starts a module.
 */
@Module({})
export class ConfigModule {
  static forService<T extends ServiceEnv>(env: T): DynamicModule {
    const concrete = env.constructor as new () => T;
    const providers =
      concrete === ServiceEnv
        ? [{ provide: ServiceEnv, useValue: env }]
        : [
            { provide: concrete, useValue: env },
            { provide: ServiceEnv, useValue: env },
          ];
    return {
      module: ConfigModule,
      global: true,
      providers,
      exports: providers.map((p) => p.provide),
    };
  }
}
