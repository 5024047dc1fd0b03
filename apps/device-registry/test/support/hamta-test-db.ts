import { DataSource } from 'typeorm';
import { messagingMigrations } from '@darvazeh/messaging';
import { createTestDatabase } from '@darvazeh/testing';
import { HAMTA_MIGRATIONS } from '../../src/migrations/index.js';

/**
 * A fresh database (the platform's createTestDatabase: named `…test…`, on DATABASE_URL's server)
 * with every migration of the app (the platform's outbox, then Hamta's) run from empty, for one integration test file that works below the
 * Nest module (importers, exporters) and so needs no service around it.
 */
export async function createHamtaTestDatabase(label: string): Promise<{ url: string; dataSource: DataSource; drop(): Promise<void> }> {
  const db = await createTestDatabase(`hamta_${label}`);
  const dataSource = new DataSource({ type: 'postgres', url: db.url, migrations: [...messagingMigrations, ...HAMTA_MIGRATIONS], poolSize: 4 });
  await dataSource.initialize();
  await dataSource.runMigrations({ transaction: 'each' });
  return {
    url: db.url,
    dataSource,
    async drop() {
      await dataSource.destroy();
      await db.drop();
    },
  };
}
