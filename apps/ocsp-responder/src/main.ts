import 'reflect-metadata';
import { runService } from '@darvazeh/http';
import { OcspResponderEnv } from './config/ocsp-responder.env.js';
import { OCSP_SERVICE, OcspResponderModule } from './ocsp-responder.module.js';

await runService({ service: OCSP_SERVICE, envClass: OcspResponderEnv, module: (env) => OcspResponderModule.register(env) });
