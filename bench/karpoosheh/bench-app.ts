import pg from 'pg';
import { startService, type RunningService } from '@darvazeh/http';
import { KarpooshehEnv } from '../../apps/karpoosheh/src/config/karpoosheh.env.js';
import { KARPOOSHEH_SERVICE, KarpooshehModule } from '../../apps/karpoosheh/src/karpoosheh.module.js';
import { benchIssuer } from '../hamta/bench-issuer.js';

export const AGENCY = '0190a1b2-0000-7000-8000-0000000b0001';

export { nationalCode } from './national-code.js';

/** The same in SQL over an integer expression `g` (0 ≤ g < 10^9). */
export function nationalCodeSql(g: string): string {
  const digit = (k: number) => `((${g}) / ${10 ** (8 - k)} % 10) * ${10 - k}`;
  const sum = Array.from({ length: 9 }, (_, k) => digit(k)).join(' + ');
  return `(lpad((${g})::text, 9, '0') || (SELECT CASE WHEN s % 11 < 2 THEN s % 11 ELSE 11 - s % 11 END FROM (SELECT (${sum}) AS s) x)::text)`;
}

export interface BenchApp {
  svc: RunningService<KarpooshehEnv>;
  db: pg.Pool;
  /** The bench database (for a second program in the same run, e.g. the ceiling). */
  dbUrl: string;
  agencyToken: string;
  mint: (claims: Record<string, unknown>, sub: string) => Promise<string>;
  close(): Promise<void>;
}

/** Boots Karpoosheh on a fresh database (name contains `test`, dropped at the end), sender granted. */
export async function benchApp(label: string, env: Record<string, string> = {}, opts: { database?: string; keep?: boolean } = {}): Promise<BenchApp> {
  const admin = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const name = opts.database ?? `karpoosheh_bench_test_${label}_${Date.now().toString(36)}`;
  const c = new pg.Client({ connectionString: admin });
  await c.connect();
  const exists = (await c.query('SELECT 1 FROM pg_database WHERE datname = $1', [name])).rowCount! > 0;
  if (!exists) await c.query(`CREATE DATABASE ${name}`);
  await c.end();
  const url = new URL(admin);
  url.pathname = `/${name}`;
  const issuer = await benchIssuer();
  const svc = await startService({
    service: KARPOOSHEH_SERVICE,
    envClass: KarpooshehEnv,
    module: (e) => KarpooshehModule.register(e),
    port: 0,
    envSource: {
      DATABASE_URL: url.toString(),
      KAFKA_BROKERS: process.env.KAFKA_BROKERS ?? '',
      KAFKA_NAMESPACE: `bench-${Date.now().toString(36)}`,
      JWKS_URL: issuer.jwksUrl,
      JWT_ISSUER: issuer.issuer,
      JWT_AUDIENCE: issuer.audience,
      LOG_LEVEL: 'warn',
      NOTIFY_ENABLED: 'false',
      WORKER_POLL_MS: '50',
      ...env,
    },
  });
  const db = new pg.Pool({ connectionString: url.toString(), max: 2 });
  await db.query(`INSERT INTO senders (agency_id, status, requested_at, updated_at) VALUES ($1, 'GRANTED', now(), now()) ON CONFLICT DO NOTHING`, [AGENCY]);
  const agencyToken = await issuer.mint({ roles: ['agency'], agency_id: AGENCY }, 'bench-agency');
  return {
    svc,
    db,
    dbUrl: url.toString(),
    agencyToken,
    mint: issuer.mint,
    async close() {
      await svc.close().catch(() => undefined);
      await db.end();
      await issuer.close();
      if (opts.keep) return;
      const a = new pg.Client({ connectionString: admin });
      await a.connect();
      await a.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await a.end();
    },
  };
}
