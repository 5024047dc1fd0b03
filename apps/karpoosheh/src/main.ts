import 'reflect-metadata';
import { runService } from '@darvazeh/http';
import { KarpooshehEnv } from './config/karpoosheh.env.js';
import { KARPOOSHEH_SERVICE, KarpooshehModule } from './karpoosheh.module.js';

void runService({ service: KARPOOSHEH_SERVICE, envClass: KarpooshehEnv, module: (env) => KarpooshehModule.register(env) });
