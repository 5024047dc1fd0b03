import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { DataSource } from 'typeorm';
import { createDataSource, runMigrations } from '@darvazeh/database';
import { messagingMigrations } from '../messaging.migrations.js';
import { ProcessedEventsJanitor } from './processed-events.janitor.js';
import { createTestDatabase } from '@darvazeh/testing';

describe('processed_events retention on Postgres', () => {
  let db: { url: string; drop(): Promise<void> };
  let dataSource: DataSource;

  beforeAll(async () => {
    db = await createTestDatabase('janitor');
    dataSource = createDataSource({ url: db.url, migrations: [...messagingMigrations] });
    await runMigrations(dataSource);
  });

  afterAll(async () => {
    if (dataSource?.isInitialized) await dataSource.destroy();
    await db?.drop();
  });

  const ids = async (): Promise<string[]> =>
    (await dataSource.query(`SELECT event_id FROM processed_events ORDER BY event_id`)).map((r: { event_id: string }) => r.event_id);

  it('deletes ids older than the retention, in batches, and keeps the recent ones', async () => {
    // 25 rows 8 days old and 3 rows from today, under two consumer groups.
    await dataSource.query(
      `INSERT INTO processed_events (consumer_group, event_id, processed_at)
       SELECT CASE WHEN i % 2 = 0 THEN 'a' ELSE 'b' END, 'old-' || lpad(i::text, 2, '0'), now() - interval '8 days'
         FROM generate_series(1, 25) i`,
    );
    await dataSource.query(
      `INSERT INTO processed_events (consumer_group, event_id, processed_at)
       VALUES ('a', 'new-1', now()), ('b', 'new-2', now() - interval '6 days 23 hours'), ('a', 'new-3', now() - interval '1 hour')`,
    );
    const janitor = new ProcessedEventsJanitor(dataSource, { retentionDays: 7, batchSize: 10 });
    expect(await janitor.prune()).toBe(25);
    expect(await ids()).toEqual(['new-1', 'new-2', 'new-3']);
    expect(await janitor.prune()).toBe(0);
  });

  it('runs a first pass at start and stops cleanly', async () => {
    await dataSource.query(`INSERT INTO processed_events (consumer_group, event_id, processed_at) VALUES ('c', 'stale', now() - interval '30 days')`);
    const janitor = new ProcessedEventsJanitor(dataSource, { retentionDays: 7 });
    janitor.start();
    await janitor.stop();
    expect(await ids()).not.toContain('stale');
  });
});
