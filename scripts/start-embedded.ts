// `npm start`: every service in one process, each on its own port with its own database on one
// embedded PostgreSQL server (or DATABASE_SERVER_URL / DATABASE_URL's server), one in-process
// bus (or Kafka when KAFKA_BROKERS is set). For development and demos; production runs each
// service as its own process (node dist/apps/<app>/src/main.js), see README "Distributed mode".
import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { SERVICE_CATALOG, type EnvSource } from '@darvazeh/config';
import { startService, type RunningService } from '@darvazeh/http';
import { DATA_DIR, ensureServiceDatabase, startDatabaseServer } from './database-server.js';
import { EMBEDDED_SERVICES } from './embedded-services.js';

/** Dev secrets are generated once and kept under .data/ so tokens and keys survive restarts. */
function devSecrets(): { adminClientId: string; adminClientSecret: string; keyEncryptionSecret: string } {
  const file = path.join(DATA_DIR, 'dev-secrets.json');
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8'));
  mkdirSync(DATA_DIR, { recursive: true });
  const secrets = {
    adminClientId: 'admin',
    adminClientSecret: randomBytes(24).toString('base64url'),
    keyEncryptionSecret: randomBytes(32).toString('base64url'),
  };
  writeFileSync(file, JSON.stringify(secrets, null, 2), { mode: 0o600 });
  return secrets;
}

/**
 * What a person needs to read when the start fails: the cause and what to do, not a stack
 * (set DARVAZEH_DEBUG=1 for the stack).
 */
function explain(error: unknown): string {
  const e = error as NodeJS.ErrnoException & { port?: number };
  if (e?.code === 'EADDRINUSE') {
    return (
      `port ${e.port ?? ''} is already in use. Is another "npm start" running? Stop it (Ctrl-C in its terminal), ` +
      'or run this one beside it with EMBEDDED_PORT_OFFSET=100 DARVAZEH_DATA_DIR=<another folder> npm start.'
    );
  }
  const message = error instanceof Error ? error.message : String(error);
  if (/is in use by process/.test(message)) {
    return `${message}.\nAnother "npm start" is using ${DATA_DIR}: stop it first, or give this one its own DARVAZEH_DATA_DIR (and EMBEDDED_PORT_OFFSET).`;
  }
  return process.env.DARVAZEH_DEBUG && error instanceof Error ? (error.stack ?? message) : message;
}

async function main(): Promise<void> {
  const secrets = devSecrets();
  const database = await startDatabaseServer();
  const running: RunningService[] = [];
  let stopping = false;
  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    process.stderr.write('\nStopping Darvazeh...\n');
    for (const service of running.reverse()) await service.close().catch(() => undefined);
    await database.stop().catch(() => undefined);
    process.exit(code);
  };
  process.on('SIGINT', () => void stop(0));
  process.on('SIGTERM', () => void stop(0));

  // EMBEDDED_PORT_OFFSET shifts every port (a second copy beside a running one, the launcher's test).
  const portOffset = Number(process.env.EMBEDDED_PORT_OFFSET ?? 0);
  const identityUrl = `http://127.0.0.1:${SERVICE_CATALOG.identity.port + portOffset}`;
  try {
    for (const service of EMBEDDED_SERVICES) {
      const port = SERVICE_CATALOG[service.name].port + portOffset;
      const envSource: EnvSource = {
        ...process.env,
        SERVICE_NAME: service.name,
        PORT: String(port),
        DATABASE_URL: await ensureServiceDatabase(database.url, service.name),
        KAFKA_BROKERS: process.env.KAFKA_BROKERS ?? '',
        JWKS_URL: `${identityUrl}/.well-known/jwks.json`,
        JWT_ISSUER: identityUrl,
        JWT_AUDIENCE: 'darvazeh',
        MIGRATE_ON_START: 'true',
        BOOTSTRAP_ADMIN_CLIENT_ID: process.env.BOOTSTRAP_ADMIN_CLIENT_ID ?? secrets.adminClientId,
        BOOTSTRAP_ADMIN_CLIENT_SECRET: process.env.BOOTSTRAP_ADMIN_CLIENT_SECRET ?? secrets.adminClientSecret,
        KEY_ENCRYPTION_SECRET: process.env.KEY_ENCRYPTION_SECRET ?? secrets.keyEncryptionSecret,
        ...service.extraEnv?.(DATA_DIR),
      };
      running.push(await startService({ service: service.name, envClass: service.envClass, envSource, module: service.module }));
    }
  } catch (error) {
    process.stderr.write(`Darvazeh failed to start: ${explain(error)}\n`);
    await stop(1);
    return;
  }

  const lines = [
    '',
    `Darvazeh is running (one process; bus: ${process.env.KAFKA_BROKERS ? `Kafka at ${process.env.KAFKA_BROKERS}` : 'in-process'})`,
    `  database server  ${database.url.replace(/:[^:@/]*@/, ':***@')}`,
    ...running.map((s) => `  ${s.env.SERVICE_NAME.padEnd(16)} ${s.url}   (docs ${s.url}/docs, health ${s.url}/health/ready, metrics ${s.url}/metrics)`),
    '',
    `First token (bootstrap admin, client credentials; the secret lives in ${path.join(DATA_DIR, 'dev-secrets.json')}):`,
    `  curl -s -u '${secrets.adminClientId}:${secrets.adminClientSecret}' -d grant_type=client_credentials ${identityUrl}/oauth/token`,
    '',
    'Citizen login codes are not sent by SMS here: they appear in this log, on lines marked "[dev SMS sink]" (SMS_SENDER=log).',
    `Walkthrough (first token → operator upload, citizen registration, CA registration): README.md "Embedded walkthrough".`,
    '',
    'Ctrl-C stops everything.',
    '',
  ];
  process.stdout.write(lines.join('\n'));
}

main().catch((error: unknown) => {
  process.stderr.write(`Darvazeh cannot start: ${explain(error)}\n`);
  process.exit(1);
});
