import 'reflect-metadata';
import { startService } from '@darvazeh/http';
import { DeviceRegistryEnv } from '../../apps/device-registry/src/config/device-registry.env.js';
import { DeviceRegistryModule, SERVICE } from '../../apps/device-registry/src/device-registry.module.js';
import type { benchIssuer } from './bench-issuer.js';

/** The device-registry as main.ts boots it, on a free loopback port, trusting the bench issuer. */
export function startBenchRegistry(databaseUrl: string, issuer: Awaited<ReturnType<typeof benchIssuer>>) {
  return startService({
    service: SERVICE,
    envClass: DeviceRegistryEnv,
    module: (env) => DeviceRegistryModule.register(env),
    port: 0,
    envSource: { DATABASE_URL: databaseUrl, JWKS_URL: issuer.jwksUrl, JWT_ISSUER: issuer.issuer, JWT_AUDIENCE: issuer.audience, LOG_LEVEL: 'error', HOST: '127.0.0.1' },
  });
}
