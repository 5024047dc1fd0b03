import 'reflect-metadata';
import { runService } from '@darvazeh/http';
import { GsbWorkflowEnv } from './config/gsb-workflow.env.js';
import { GsbWorkflowModule, SERVICE } from './gsb-workflow.module.js';

await runService({ service: SERVICE, envClass: GsbWorkflowEnv, module: (env) => GsbWorkflowModule.register(env) });
