import { DataSource, type MixedList, type EntitySchema } from 'typeorm';
import { SnakeNamingStrategy } from './snake-naming.strategy.js';

type Constructor = new (...args: never[]) => unknown;

export interface DataSourceConfig {
  /** postgres://user:pass@host:port/db */
  url: string;
  entities?: MixedList<Constructor | string | EntitySchema>;
  migrations?: MixedList<Constructor | string>;
  /** Shown in pg_stat_activity: which service holds which connection. */
  applicationName?: string;
  /** Connections in the pg pool (default 10). */
  poolSize?: number;
  /** Log SQL (default false). */
  logging?: boolean;
}

/**
 * A Postgres DataSource with our conventions: snake_case names, migrations never run
 * implicitly (the app or `npm run migrate` does it), never `synchronize`. Not yet initialized.
 */
export function createDataSource(config: DataSourceConfig): DataSource {
  return new DataSource({
    type: 'postgres',
    url: config.url,
    entities: config.entities ?? [],
    migrations: config.migrations ?? [],
    namingStrategy: new SnakeNamingStrategy(),
    applicationName: config.applicationName,
    poolSize: config.poolSize ?? 10,
    synchronize: false,
    migrationsRun: false,
    migrationsTableName: 'migrations',
    logging: config.logging ?? false,
    // Timestamps travel as UTC; the columns are timestamptz.
    useUTC: true,
  });
}

/** Runs pending migrations, each in its own transaction. Returns the names that ran. */
export async function runMigrations(dataSource: DataSource): Promise<string[]> {
  if (!dataSource.isInitialized) await dataSource.initialize();
  const ran = await dataSource.runMigrations({ transaction: 'each' });
  return ran.map((migration) => migration.name);
}
