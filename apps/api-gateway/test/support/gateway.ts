import { randomUUID } from 'node:crypto';
import { produceWithKcat, startTestService, testKafkaBrokers, testTopic, type TestIssuer, type TestService } from '@darvazeh/testing';
import { ApiGatewayEnv } from '../../src/config/api-gateway.env.js';
import { ApiGatewayModule, GATEWAY_SERVICE } from '../../src/api-gateway.module.js';

export function startGatewayWithIssuer(env: Record<string, string>, issuer?: TestIssuer): Promise<TestService<ApiGatewayEnv>> {
  return startTestService({ service: GATEWAY_SERVICE, envClass: ApiGatewayEnv, module: (e) => ApiGatewayModule.register(e), label: 'gateway', issuer, env });
}

/** Publishes one CloudEvent (binary mode) on this file's namespaced topic with kcat, as a foreign producer would. */
export async function publish(topic: string, type: string, key: string, data: unknown): Promise<void> {
  await produceWithKcat(testKafkaBrokers(), testTopic(topic), [
    {
      key,
      value: data as Record<string, unknown>,
      headers: {
        ce_id: randomUUID(),
        ce_type: type,
        ce_source: '/darvazeh/test',
        ce_specversion: '1.0',
        ce_time: new Date().toISOString(),
        ce_subject: key,
        'content-type': 'application/json',
      },
    },
  ]);
}

export async function until<T>(probe: () => Promise<T>, ok: (v: T) => boolean, what: string, attempts = 300): Promise<T> {
  let last: T | undefined;
  for (let i = 0; i < attempts; i += 1) {
    last = await probe();
    if (ok(last)) return last;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`${what}: last ${JSON.stringify(last)}`);
}
