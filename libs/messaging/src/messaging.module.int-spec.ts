import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { randomUUID } from 'node:crypto';
import { Kafka, logLevel, type Admin } from 'kafkajs';
import { ALL_TOPICS } from '@darvazeh/contracts';
import { DatabaseModule } from '@darvazeh/database';
import { MessagingModule } from './messaging.module.js';
import { createTestDatabase, testKafkaBrokerList } from '@darvazeh/testing';

/** Boots a bare app with MessagingModule (Kafka, the topic registry, its own namespace) and closes it. */
async function bootWith(dbUrl: string, namespace: string, partitions: number, replicationFactor: number): Promise<void> {
  @Module({
    imports: [
      DatabaseModule.forService({ url: dbUrl }),
      MessagingModule.forService({
        service: 'provisioning-test',
        kafkaBrokers: testKafkaBrokerList(),
        kafkaNamespace: namespace,
        topics: [...ALL_TOPICS],
        partitions,
        replicationFactor,
        relay: { enabled: false },
      }),
    ],
  })
  class ProvisioningModule {}
  const app = await NestFactory.createApplicationContext(ProvisioningModule, { logger: false, abortOnError: false });
  await app.close();
}

describe('topic provisioning at start (MessagingModule on Kafka)', () => {
  let db: { url: string; drop(): Promise<void> };
  let admin: Admin;

  beforeAll(async () => {
    db = await createTestDatabase('provisioning');
    admin = new Kafka({ brokers: testKafkaBrokerList(), clientId: 'provisioning-probe', logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
  }, 60_000);

  afterAll(async () => {
    await admin?.disconnect();
    await db?.drop();
  }, 60_000);

  it('creates every registry topic and its .dlt with the partitions and replication factor from config, and a restart changes nothing', async () => {
    const namespace = `test-prov-${randomUUID().slice(0, 8)}`;
    await bootWith(db.url, namespace, 4, 1);
    await bootWith(db.url, namespace, 4, 1); // second start: topics exist, nothing to create, no error
    const names = ALL_TOPICS.flatMap((topic) => [`${namespace}.${topic}`, `${namespace}.${topic}.dlt`]);
    const { topics } = await admin.fetchTopicMetadata({ topics: names });
    expect(topics.map((t) => t.name).sort()).toEqual([...names].sort());
    for (const topic of topics) {
      expect(topic.partitions).toHaveLength(4);
      for (const partition of topic.partitions) expect(partition.replicas).toHaveLength(1);
    }
  }, 120_000);

  it('passes the configured replication factor to the broker: 2 on this one-broker cluster refuses to start', async () => {
    const namespace = `test-prov-${randomUUID().slice(0, 8)}`;
    await expect(bootWith(db.url, namespace, 1, 2)).rejects.toThrow(/replication/i);
    const existing = await admin.listTopics();
    expect(existing.filter((name) => name.startsWith(`${namespace}.`))).toEqual([]);
  }, 120_000);
});
