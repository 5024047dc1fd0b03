// `npm run migrate [-- <service>...]`: runs each service's migrations against its own database.
// DATABASE_URL names the database of the one service given; without it, every service's
// database on the embedded server used by `npm start` (darvazeh_<service>), like `npm start` does.
import 'reflect-metadata';
import { createDataSource, runMigrations } from '@darvazeh/database';
import { EMBEDDED_SERVICES } from './embedded-services.js';
import { ensureServiceDatabase, startDatabaseServer } from './database-server.js';

async function main(): Promise<void> {
  const wanted = process.argv.slice(2);
  const unknown = wanted.filter((name) => !EMBEDDED_SERVICES.some((s) => s.name === name));
  if (unknown.length > 0) throw new Error(`unknown service(s): ${unknown.join(', ')}; known: ${EMBEDDED_SERVICES.map((s) => s.name).join(', ')}`);
  const services = EMBEDDED_SERVICES.filter((s) => wanted.length === 0 || wanted.includes(s.name));
  if (process.env.DATABASE_URL && services.length !== 1) {
    throw new Error('with DATABASE_URL (one service\'s database) name exactly one service: npm run migrate -- <service>');
  }
  const server = process.env.DATABASE_URL ? undefined : await startDatabaseServer();
  try {
    for (const service of services) {
      const url = process.env.DATABASE_URL ?? (await ensureServiceDatabase(server!.url, service.name));
      const dataSource = createDataSource({ url, entities: [], migrations: service.migrations });
      await dataSource.initialize();
      try {
        const applied = await runMigrations(dataSource);
        process.stdout.write(`${service.name}: ${applied.length === 0 ? 'up to date' : `applied ${applied.join(', ')}`}\n`);
      } finally {
        await dataSource.destroy();
      }
    }
  } finally {
    await server?.stop();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`migrate failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
