import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { DataSource, EntityManager } from 'typeorm';
import { EVENT_CATALOG, AGENCY_REGISTERED_V1, TOPICS } from '@darvazeh/contracts';
import { createDataSource, runMigrations, TypeOrmTransactionRunner } from '@darvazeh/database';
import { OutboxWriter, type OutgoingEvent } from '@darvazeh/messaging';
import { createTestDatabase, type TestDatabase } from '@darvazeh/testing';
import { RegisterAgencyUseCase } from './agencies/application/register-agency.use-case.js';
import { DisableAgencyUseCase } from './agencies/application/disable-agency.use-case.js';
import { Agency } from './agencies/domain/agency.js';
import { AgencyNationalIdTakenError } from './agencies/domain/agency.errors.js';
import { TypeOrmAgencyRepository } from './agencies/persistence/typeorm-agency.repository.js';
import { ScryptSecretHasher } from './clients/domain/secret-hasher.js';
import { ClientIdTakenError } from './clients/domain/client.errors.js';
import { ServiceClient } from './clients/domain/service-client.js';
import { TypeOrmServiceClientRepository } from './clients/persistence/typeorm-service-client.repository.js';
import { Citizen } from './citizens/domain/citizen.js';
import { CitizenAlreadyRegisteredError } from './citizens/domain/citizen.errors.js';
import { OtpChallenge, DEFAULT_OTP_POLICY } from './citizens/domain/otp-challenge.js';
import { TypeOrmCitizenRepository, TypeOrmOtpChallengeRepository } from './citizens/persistence/typeorm-citizen.repository.js';
import { RotateSigningKeyUseCase } from './signing-keys/application/rotate-signing-key.use-case.js';
import { JoseKeyPairGenerator } from './signing-keys/domain/key-material.js';
import { PrivateKeyCipher } from './signing-keys/domain/private-key-cipher.js';
import { TypeOrmSigningKeyRepository } from './signing-keys/persistence/typeorm-signing-key.repository.js';
import { IDENTITY_MIGRATIONS } from './migrations/index.js';
import { IDENTITY_ENTITIES } from './persistence.js';
import { ManualClock } from './shared/clock.js';
import { TypeOrmSubscriberOwnershipRegistry } from './citizens/persistence/typeorm-subscriber-ownership.registry.js';
import { testSettings } from './testing/in-memory.js';

// Real PostgreSQL after all migrations, one fresh database for this file.
let db: TestDatabase;
let dataSource: DataSource;
let tx: TypeOrmTransactionRunner;
const clock = new ManualClock(new Date());
const hasher = new ScryptSecretHasher({ N: 1024, r: 8, p: 1 });

beforeAll(async () => {
  db = await createTestDatabase('identity_persistence');
  dataSource = createDataSource({ url: db.url, entities: IDENTITY_ENTITIES, migrations: IDENTITY_MIGRATIONS });
  await runMigrations(dataSource);
  tx = new TypeOrmTransactionRunner(dataSource);
}, 60_000);

afterAll(async () => {
  await dataSource?.destroy();
  await db?.drop();
});

const agencies = () => new TypeOrmAgencyRepository(tx);
const clients = () => new TypeOrmServiceClientRepository(tx);
const outboxRows = async (type?: string) =>
  dataSource.query(`SELECT topic, key, type, payload FROM outbox ${type ? 'WHERE type = $1' : ''} ORDER BY id`, type ? [type] : []);

/** An outbox that writes its rows and then fails, as a crash after the append would. */
class FailingAfterAppendOutbox extends OutboxWriter {
  override async append(manager: EntityManager, events: OutgoingEvent[]): Promise<string[]> {
    await super.append(manager, events);
    throw new Error('boom after outbox append');
  }
}

describe('identity persistence (real Postgres)', () => {
  it('registering an agency writes the agency, its client and the outbox row in one transaction', async () => {
    const writer = new OutboxWriter(EVENT_CATALOG, '/darvazeh/identity');
    const useCase = new RegisterAgencyUseCase(tx, agencies(), clients(), hasher, writer, clock);
    const { agency, credentials } = await useCase.execute({
      name: 'Ministry of ICT',
      nationalId: '10380284790',
      parentMinistry: 'Ministry of ICT',
      type: 'ministry',
    });
    expect((await agencies().findById(agency.id))?.nationalId).toBe('10380284790');
    const client = await clients().findByClientId(credentials.clientId);
    expect(client?.agencyId).toBe(agency.id);
    expect(await hasher.verify(credentials.clientSecret, client!.secretHash)).toBe(true);
    const rows = await outboxRows(AGENCY_REGISTERED_V1);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ topic: TOPICS.identityPrincipals, key: agency.id });
    expect(rows[0].payload).toMatchObject({ agencyId: agency.id, clientId: credentials.clientId });
    expect(JSON.stringify(rows[0].payload)).not.toContain(credentials.clientSecret);
  });

  it('a failure after the outbox append rolls back both the agency and the outbox row', async () => {
    const before = (await outboxRows()).length;
    const useCase = new RegisterAgencyUseCase(
      tx,
      agencies(),
      clients(),
      hasher,
      new FailingAfterAppendOutbox(EVENT_CATALOG, '/darvazeh/identity'),
      clock,
    );
    await expect(
      useCase.execute({ name: 'Rolled back', nationalId: '14007650912', parentMinistry: 'X', type: 'other' }),
    ).rejects.toThrow('boom after outbox append');
    expect(await agencies().findByNationalId('14007650912')).toBeNull();
    expect(await dataSource.query(`SELECT 1 FROM service_clients WHERE display_name = 'Rolled back'`)).toHaveLength(0);
    expect(await outboxRows()).toHaveLength(before);
  });

  it('the unique constraint refuses a duplicate legal national ID even past the use-case check', async () => {
    const a = Agency.register({ id: crypto.randomUUID(), name: 'Dup', nationalId: '10380284790', parentMinistry: 'X', type: 'other', now: clock.now() });
    await expect(tx.run(() => agencies().insert(a))).rejects.toBeInstanceOf(AgencyNationalIdTakenError);
  });

  it('check constraints refuse malformed rows written around the domain', async () => {
    const insert = (nationalId: string) =>
      dataSource.query(
        `INSERT INTO agencies (id, name, national_id, parent_ministry, type, status, created_at)
         VALUES (gen_random_uuid(), 'x', $1, 'y', 'ministry', 'active', now())`,
        [nationalId],
      );
    await expect(insert('1038028479a')).rejects.toThrow(/check constraint/);
    await expect(
      dataSource.query(
        `INSERT INTO citizens (id, national_code, mobile, created_at) VALUES (gen_random_uuid(), '1111111111', '09121234567', now())`,
      ),
    ).rejects.toThrow(/check constraint/);
    await expect(
      dataSource.query(
        `INSERT INTO service_clients (id, client_id, secret_hash, display_name, roles, status, created_at, secret_rotated_at)
         VALUES (gen_random_uuid(), 'op-x', 'scrypt$1', 'x', ARRAY['operator'], 'active', now(), now())`,
      ),
    ).rejects.toThrow(/service_clients_operator_code/);
  });

  it('client ids are unique; principals round-trip roles, scopes and operator code', async () => {
    const p = ServiceClient.servicePrincipal({
      id: crypto.randomUUID(),
      clientId: 'mci-feed',
      secretHash: await hasher.hash('s'),
      displayName: 'MCI',
      roles: ['operator'],
      operatorCode: 'MCI',
      scopes: ['sightings:write'],
      now: clock.now(),
    });
    await tx.run(() => clients().insert(p));
    const loaded = await clients().findByClientId('mci-feed');
    expect(loaded?.toProps()).toMatchObject({ roles: ['operator'], operatorCode: 'MCI', scopes: ['sightings:write'], agencyId: null });
    await expect(tx.run(() => clients().insert(ServiceClient.restore({ ...p.toProps(), id: crypto.randomUUID() })))).rejects.toBeInstanceOf(
      ClientIdTakenError,
    );
    expect((await clients().listServicePrincipals({ limit: 10 })).map((c) => c.clientId)).toContain('mci-feed');
  });

  it('disabling an agency writes agency.disabled with the status change', async () => {
    const writer = new OutboxWriter(EVENT_CATALOG, '/darvazeh/identity');
    const agency = await agencies().findByNationalId('10380284790');
    await new DisableAgencyUseCase(tx, agencies(), clients(), writer, clock).execute({ agencyId: agency!.id });
    expect((await agencies().findById(agency!.id))?.status).toBe('disabled');
    expect((await clients().findByAgencyId(agency!.id))?.isActive).toBe(false);
    expect((await outboxRows('ir.darvazeh.identity.agency.disabled.v1'))[0].key).toBe(agency!.id);
  });

  it('citizens are unique by national code; OTP challenges persist their attempt count', async () => {
    const citizens = new TypeOrmCitizenRepository(tx);
    const challenges = new TypeOrmOtpChallengeRepository(tx);
    const c = Citizen.register({ id: crypto.randomUUID(), nationalCode: '1583250689', mobile: '+989121234567', now: clock.now() });
    await tx.run(() => citizens.insert(c));
    expect((await citizens.findById(c.id))?.mobile).toBe('989121234567');
    const again = Citizen.register({ id: crypto.randomUUID(), nationalCode: '1583250689', mobile: '09120000000', now: clock.now() });
    await expect(tx.run(() => citizens.insert(again))).rejects.toBeInstanceOf(CitizenAlreadyRegisteredError);

    await tx.run(async () => {
      const ch = OtpChallenge.issue(c.id, 'hash', clock.now(), DEFAULT_OTP_POLICY, await challenges.findForUpdate(c.id));
      await challenges.save(ch);
    });
    await tx.run(async () => {
      const ch = await challenges.findForUpdate(c.id);
      ch!.check(false, clock.now(), DEFAULT_OTP_POLICY);
      await challenges.save(ch!);
    });
    const stored = await tx.run(() => challenges.findForUpdate(c.id));
    expect(stored?.attempts).toBe(1);
    expect(stored?.failures).toBe(1);
    expect(stored?.expiresAt.getTime()).toBe(clock.now().getTime() + 120_000);
  });

  it('signing keys: one active at a time, private key stored encrypted, old key retiring', async () => {
    const keys = new TypeOrmSigningKeyRepository(tx);
    const rotate = new RotateSigningKeyUseCase(
      tx,
      keys,
      new JoseKeyPairGenerator(),
      new PrivateKeyCipher('integration-test-secret'),
      testSettings(),
      clock,
    );
    const first = await rotate.execute({ mode: 'if-missing' });
    // Two rotations at once: the advisory lock serialises them, the partial unique index backs it.
    const [a, b] = await Promise.all([rotate.execute({ mode: 'force' }), rotate.execute({ mode: 'force' })]);
    const rows = await dataSource.query(`SELECT kid, status, private_key_ciphertext FROM signing_keys ORDER BY created_at`);
    expect(rows.filter((r: { status: string }) => r.status === 'active')).toHaveLength(1);
    expect(rows.map((r: { kid: string }) => r.kid)).toEqual(expect.arrayContaining([first.activeKid, a.activeKid, b.activeKid]));
    for (const r of rows) expect(r.private_key_ciphertext).toMatch(/^v1\./);
    await expect(
      dataSource.query(
        `INSERT INTO signing_keys (kid, alg, public_jwk, private_key_ciphertext, status, created_at)
         VALUES ('second-active-kid', 'ES256', '{}', 'v1.x', 'active', now())`,
      ),
    ).rejects.toThrow(/signing_keys_one_active/);
  });
});

describe('Shahkar projection (subscriber_ownerships)', () => {
  const at = (iso: string) => new Date(iso);

  it('answers the owner as of a date, honours termination and validTo, and never overwrites the record of another operator', async () => {
    const registry = new TypeOrmSubscriberOwnershipRegistry(tx);
    const msisdn = '989127776655';
    await registry.record({ operatorCode: 'MCI', msisdn, nationalCode: '1583250689', validFrom: at('2020-01-01T00:00:00Z'), validTo: null });
    await registry.record({ operatorCode: 'MCI', msisdn, nationalCode: null, validFrom: at('2023-01-01T00:00:00Z'), validTo: null });
    await registry.record({ operatorCode: 'MCI', msisdn, nationalCode: '0499370899', validFrom: at('2024-01-01T00:00:00Z'), validTo: at('2025-01-01T00:00:00Z') });
    expect(await registry.ownerAt(msisdn, at('2019-01-01T00:00:00Z'))).toBeNull();
    expect(await registry.ownerAt(msisdn, at('2021-06-01T00:00:00Z'))).toBe('1583250689');
    expect(await registry.ownerAt(msisdn, at('2023-06-01T00:00:00Z'))).toBeNull();
    expect(await registry.ownerAt(msisdn, at('2024-06-01T00:00:00Z'))).toBe('0499370899');
    expect(await registry.ownerAt(msisdn, at('2025-06-01T00:00:00Z'))).toBeNull();
    // IRANCELL sending a record for the same number and instant does not replace MCI's; a redelivery is harmless.
    await registry.record({ operatorCode: 'IRANCELL', msisdn, nationalCode: '0012345679', validFrom: at('2020-01-01T00:00:00Z'), validTo: null });
    await registry.record({ operatorCode: 'MCI', msisdn, nationalCode: '1583250689', validFrom: at('2020-01-01T00:00:00Z'), validTo: null });
    expect(await registry.ownerAt(msisdn, at('2021-06-01T00:00:00Z'))).toBe('1583250689');
  });
});

describe('migration CitizenSafeguards', () => {
  it('moves stored mobiles to the canonical 989… form and MTN_IRANCELL operators to IRANCELL', async () => {
    const old = await createTestDatabase('identity_msisdn_migration');
    const before = IDENTITY_MIGRATIONS.filter((m) => m.name !== 'CitizenSafeguards1767225900000');
    const early = createDataSource({ url: old.url, migrations: before });
    try {
      await runMigrations(early);
      await early.query(`INSERT INTO citizens (id, national_code, mobile, created_at) VALUES (gen_random_uuid(), '1583250689', '09121234567', now())`);
      await early.query(
        `INSERT INTO service_clients (id, client_id, secret_hash, display_name, roles, scopes, operator_code, status, created_at, secret_rotated_at)
         VALUES (gen_random_uuid(), 'irancell-feed', 'scrypt$x', 'Irancell', '{operator}', '{}', 'MTN_IRANCELL', 'active', now(), now())`,
      );
      await early.destroy();
      const full = createDataSource({ url: old.url, migrations: IDENTITY_MIGRATIONS });
      await runMigrations(full);
      expect(await full.query('SELECT mobile FROM citizens')).toEqual([{ mobile: '989121234567' }]);
      expect(await full.query(`SELECT operator_code FROM service_clients WHERE client_id = 'irancell-feed'`)).toEqual([{ operator_code: 'IRANCELL' }]);
      await full.destroy();
    } finally {
      if (early.isInitialized) await early.destroy();
      await old.drop();
    }
  });
});
