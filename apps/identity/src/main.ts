import 'reflect-metadata';
import { runService } from '@darvazeh/http';
import { IdentityEnv } from './config/identity.env.js';
import { IDENTITY_SERVICE, IdentityModule } from './identity.module.js';

void runService({ service: IDENTITY_SERVICE, envClass: IdentityEnv, module: (env) => IdentityModule.register(env) });
