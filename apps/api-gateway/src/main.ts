import 'reflect-metadata';
import { runService } from '@darvazeh/http';
import { ApiGatewayEnv } from './config/api-gateway.env.js';
import { ApiGatewayModule, GATEWAY_SERVICE } from './api-gateway.module.js';

await runService({ service: GATEWAY_SERVICE, envClass: ApiGatewayEnv, module: (env) => ApiGatewayModule.register(env) });
