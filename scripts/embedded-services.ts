// The services `npm start` and `npm run migrate` know, in start order (identity first: the
// others trust its JWKS). Scripts are the one place allowed to import several apps: they compose
// deployable units, they are not one.
import type { DynamicModule } from '@nestjs/common';
import type { MigrationInterface } from 'typeorm';
import type { ServiceEnv, ServiceName } from '@darvazeh/config';
import { messagingMigrations } from '@darvazeh/messaging';
import { IdentityEnv } from '../apps/identity/src/config/identity.env.js';
import { IdentityModule } from '../apps/identity/src/identity.module.js';
import { IDENTITY_MIGRATIONS } from '../apps/identity/src/migrations/index.js';
import { DeviceRegistryEnv } from '../apps/device-registry/src/config/device-registry.env.js';
import { DeviceRegistryModule } from '../apps/device-registry/src/device-registry.module.js';
import { HAMTA_MIGRATIONS } from '../apps/device-registry/src/migrations/index.js';
import { OcspResponderEnv } from '../apps/ocsp-responder/src/config/ocsp-responder.env.js';
import { OCSP_MIGRATIONS, OcspResponderModule } from '../apps/ocsp-responder/src/ocsp-responder.module.js';
import { GsbWorkflowEnv } from '../apps/gsb-workflow/src/config/gsb-workflow.env.js';
import { GSB_WORKFLOW_MIGRATIONS, GsbWorkflowModule } from '../apps/gsb-workflow/src/gsb-workflow.module.js';
import path from 'node:path';

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
    migrations: [...messagingMigrations, ...HAMTA_MIGRATIONS],
  }),
  define({
    name: 'ocsp-responder',
    envClass: OcspResponderEnv,
    module: (env) => OcspResponderModule.register(env),
    migrations: OCSP_MIGRATIONS,
    // Issuers' signing keys (PEM/PKCS#8) the CA operators register refer to files in this folder.
    extraEnv: (dataDir) => ({ OCSP_KEY_DIR: process.env.OCSP_KEY_DIR ?? path.join(dataDir, 'ocsp-keys') }),
  }),
  define({ name: 'gsb-workflow', envClass: GsbWorkflowEnv, module: (env) => GsbWorkflowModule.register(env), migrations: GSB_WORKFLOW_MIGRATIONS }),
];
