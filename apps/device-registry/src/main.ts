import 'reflect-metadata';
import { runService } from '@darvazeh/http';
import { DeviceRegistryEnv } from './config/device-registry.env.js';
import { DeviceRegistryModule, SERVICE } from './device-registry.module.js';

await runService({ service: SERVICE, envClass: DeviceRegistryEnv, module: (env) => DeviceRegistryModule.register(env) });
