// The services `npm start` and `npm run migrate` know, in start order (identity first: the
// others trust its JWKS). Scripts are the one place allowed to import several apps: they compose
// deployable units, they are not one.
import type { DynamicModule } from '@nestjs/common';
import type { MigrationInterface } from 'typeorm';
import type { ServiceEnv, ServiceName } from '@darvazeh/config';
import { principalRevocationMigrations } from '@darvazeh/auth';
import { messagingMigrations } from '@darvazeh/messaging';
import { IdentityEnv } from '../apps/identity/src/config/identity.env.js';
import { IdentityModule } from '../apps/identity/src/identity.module.js';
import { IDENTITY_MIGRATIONS } from '../apps/identity/src/migrations/index.js';
import { DeviceRegistryEnv } from '../apps/device-registry/src/config/device-registry.env.js';
import { DeviceRegistryModule } from '../apps/device-registry/src/device-registry.module.js';
import { HAMTA_MIGRATIONS } from '../apps/device-registry/src/migrations/index.js';
import { OcspResponderEnv } from '../apps/ocsp-responder/src/config/ocsp-responder.env.js';
import { OCSP_MIGRATIONS, OcspResponderModule } from '../apps/ocsp-responder/src/ocsp-responder.module.js';
import { KarpooshehEnv } from '../apps/karpoosheh/src/config/karpoosheh.env.js';
import { KarpooshehModule } from '../apps/karpoosheh/src/karpoosheh.module.js';
import { KARPOOSHEH_MIGRATIONS } from '../apps/karpoosheh/src/migrations/index.js';
import { GsbWorkflowEnv } from '../apps/gsb-workflow/src/config/gsb-workflow.env.js';
import { GSB_WORKFLOW_MIGRATIONS, GsbWorkflowModule } from '../apps/gsb-workflow/src/gsb-workflow.module.js';
import path from 'node:path';
import { SERVICE_CATALOG } from '@darvazeh/config';
import { ApiGatewayEnv } from '../apps/api-gateway/src/config/api-gateway.env.js';
import { ApiGatewayModule, GATEWAY_MIGRATIONS } from '../apps/api-gateway/src/api-gateway.module.js';

export interface EmbeddedService<E extends ServiceEnv = ServiceEnv> {
  name: ServiceName;
  envClass: new () => E;
  module: (env: E) => DynamicModule;
  migrations: (new () => MigrationInterface)[];
  /** Service-specific variables for the embedded mode (paths under .data/ and the like). */
  extraEnv?: (dataDir: string) => Record<string, string>;
}

function define<E extends ServiceEnv>(service: EmbeddedService<E>): EmbeddedService {
  return service as unknown as EmbeddedService;
}

export const EMBEDDED_SERVICES: EmbeddedService[] = [
  define({ name: 'identity', envClass: IdentityEnv, module: (env) => IdentityModule.register(env), migrations: IDENTITY_MIGRATIONS }),
  define({
    name: 'device-registry',
    envClass: DeviceRegistryEnv,
    module: (env) => DeviceRegistryModule.register(env),
    migrations: [...messagingMigrations, ...principalRevocationMigrations, ...HAMTA_MIGRATIONS],
  }),
  define({
    name: 'ocsp-responder',
    envClass: OcspResponderEnv,
    module: (env) => OcspResponderModule.register(env),
    migrations: OCSP_MIGRATIONS,
    // Issuers' signing keys (PEM/PKCS#8) the CA operators register refer to files in this folder.
    extraEnv: (dataDir) => ({ OCSP_KEY_DIR: process.env.OCSP_KEY_DIR ?? path.join(dataDir, 'ocsp-keys') }),
  }),
  define({
    name: 'karpoosheh',
    envClass: KarpooshehEnv,
    module: (env) => KarpooshehModule.register(env),
    migrations: KARPOOSHEH_MIGRATIONS,
    // The pages sign in (client credentials, OTP) at identity on its own port.
    extraEnv: () => ({ IDENTITY_PUBLIC_URL: process.env.IDENTITY_PUBLIC_URL ?? 'http://127.0.0.1:3001' }),
  }),
  define({ name: 'gsb-workflow', envClass: GsbWorkflowEnv, module: (env) => GsbWorkflowModule.register(env), migrations: GSB_WORKFLOW_MIGRATIONS }),
  // Last: the one door in front of the in-process apps (their catalog ports, shifted like theirs).
  define({
    name: 'api-gateway',
    envClass: ApiGatewayEnv,
    module: (env) => ApiGatewayModule.register(env),
    migrations: GATEWAY_MIGRATIONS,
    extraEnv: () => {
      const offset = Number(process.env.EMBEDDED_PORT_OFFSET ?? 0);
      const at = (name: keyof typeof SERVICE_CATALOG) => `http://127.0.0.1:${SERVICE_CATALOG[name].port + offset}`;
      return {
        UPSTREAM_IDENTITY_URL: at('identity'),
        UPSTREAM_DEVICE_REGISTRY_URL: at('device-registry'),
        UPSTREAM_KARPOOSHEH_URL: at('karpoosheh'),
        UPSTREAM_GSB_WORKFLOW_URL: at('gsb-workflow'),
        UPSTREAM_OCSP_RESPONDER_URL: at('ocsp-responder'),
        // One process, one replica: budgets need not go through the database.
        RATE_LIMIT_STORE: process.env.RATE_LIMIT_STORE ?? 'memory',
      };
    },
  }),
];
