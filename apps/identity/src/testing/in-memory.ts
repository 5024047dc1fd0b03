// In-memory fakes of the identity ports, for use-case unit tests (no I/O).
import type { EntityManager } from 'typeorm';
import type { OutboxWriter, OutgoingEvent } from '@darvazeh/messaging';
import { Agency } from '../agencies/domain/agency.js';
import { AgencyNationalIdTakenError } from '../agencies/domain/agency.errors.js';
import { AgencyRepository, type AgencyPageQuery } from '../agencies/domain/agency.repository.js';
import { ClientIdTakenError } from '../clients/domain/client.errors.js';
import { SecretHasher } from '../clients/domain/secret-hasher.js';
import { ServiceClient } from '../clients/domain/service-client.js';
import { ServiceClientRepository, type ServiceClientPageQuery } from '../clients/domain/service-client.repository.js';
import { Citizen } from '../citizens/domain/citizen.js';
import { CitizenAlreadyRegisteredError } from '../citizens/domain/citizen.errors.js';
import { CitizenRepository, OtpChallengeRepository } from '../citizens/domain/citizen.repository.js';
import { OtpChallenge } from '../citizens/domain/otp-challenge.js';
import { OtpCodeGenerator } from '../citizens/domain/otp-code.js';
import { SmsSender } from '../citizens/domain/sms-sender.js';
import { SigningKey } from '../signing-keys/domain/signing-key.js';
import { SigningKeyRepository } from '../signing-keys/domain/signing-key.repository.js';
import { IdentitySettings } from '../config/identity-settings.js';
import { OtpSendThrottle } from '../citizens/domain/otp-send-throttle.js';
import { SubscriberOwnershipRegistry, type SubscriberOwnership } from '../citizens/domain/subscriber-ownership.js';
import type { Clock } from '../shared/clock.js';

// The shared in-memory runner (libs/testing), under the name this app's tests use.
export { InMemoryTransactionRunner as FakeTransactionRunner } from '@darvazeh/testing';

export class FakeOutbox {
  events: OutgoingEvent[] = [];
  async append(_manager: EntityManager, events: OutgoingEvent[]): Promise<string[]> {
    this.events.push(...events);
    return events.map((_, i) => `evt-${this.events.length + i}`);
  }
  snapshot(): () => void {
    const copy = [...this.events];
    return () => {
      this.events = copy;
    };
  }
  asWriter(): OutboxWriter {
    return this as unknown as OutboxWriter;
  }
}

class MapStore<T> {
  rows = new Map<string, T>();
  snapshot(): () => void {
    const copy = new Map(this.rows);
    return () => {
      this.rows = copy;
    };
  }
}

export class InMemoryAgencyRepository extends AgencyRepository {
  readonly store = new MapStore<Agency>();
  async findById(id: string) {
    const a = this.store.rows.get(id);
    return a ? Agency.restore(a.toProps()) : null;
  }
  async findByNationalId(nationalId: string) {
    const a = [...this.store.rows.values()].find((x) => x.nationalId === nationalId);
    return a ? Agency.restore(a.toProps()) : null;
  }
  async insert(agency: Agency) {
    if (await this.findByNationalId(agency.nationalId)) throw new AgencyNationalIdTakenError(agency.nationalId);
    this.store.rows.set(agency.id, Agency.restore(agency.toProps()));
  }
  async update(agency: Agency) {
    this.store.rows.set(agency.id, Agency.restore(agency.toProps()));
  }
  async list(q: AgencyPageQuery) {
    return [...this.store.rows.values()]
      .filter((a) => !q.after || a.id > q.after)
      .sort((a, b) => a.id.localeCompare(b.id))
      .slice(0, q.limit);
  }
}

export class InMemoryServiceClientRepository extends ServiceClientRepository {
  readonly store = new MapStore<ServiceClient>();
  private copy(c: ServiceClient | undefined) {
    return c ? ServiceClient.restore(c.toProps()) : null;
  }
  async findById(id: string) {
    return this.copy(this.store.rows.get(id));
  }
  async findByClientId(clientId: string) {
    return this.copy([...this.store.rows.values()].find((c) => c.clientId === clientId));
  }
  async findByAgencyId(agencyId: string) {
    return this.copy([...this.store.rows.values()].find((c) => c.agencyId === agencyId));
  }
  async findByAgencyIds(agencyIds: string[]) {
    return [...this.store.rows.values()].filter((c) => c.agencyId !== null && agencyIds.includes(c.agencyId)).map((c) => this.copy(c)!);
  }
  async insert(client: ServiceClient) {
    if (await this.findByClientId(client.clientId)) throw new ClientIdTakenError(client.clientId);
    this.store.rows.set(client.id, ServiceClient.restore(client.toProps()));
  }
  async update(client: ServiceClient) {
    this.store.rows.set(client.id, ServiceClient.restore(client.toProps()));
  }
  async listServicePrincipals(q: ServiceClientPageQuery) {
    return [...this.store.rows.values()]
      .filter((c) => c.agencyId === null && (!q.after || c.id > q.after))
      .sort((a, b) => a.id.localeCompare(b.id))
      .slice(0, q.limit);
  }
}

export class InMemoryCitizenRepository extends CitizenRepository {
  readonly store = new MapStore<Citizen>();
  private copy(c: Citizen | undefined) {
    return c ? Citizen.restore(c.toProps()) : null;
  }
  async findById(id: string) {
    return this.copy(this.store.rows.get(id));
  }
  async findByNationalCode(code: string) {
    return this.copy([...this.store.rows.values()].find((c) => c.nationalCode === code));
  }
  async insert(citizen: Citizen) {
    if (await this.findByNationalCode(citizen.nationalCode)) throw new CitizenAlreadyRegisteredError();
    this.store.rows.set(citizen.id, Citizen.restore(citizen.toProps()));
  }
  async update(citizen: Citizen) {
    this.store.rows.set(citizen.id, Citizen.restore(citizen.toProps()));
  }
}

export class InMemoryOtpChallengeRepository extends OtpChallengeRepository {
  readonly store = new MapStore<OtpChallenge>();
  async findForUpdate(citizenId: string) {
    const c = this.store.rows.get(citizenId);
    return c ? OtpChallenge.restore(c.toProps()) : null;
  }
  async save(challenge: OtpChallenge) {
    this.store.rows.set(challenge.citizenId, OtpChallenge.restore(challenge.toProps()));
  }
}

export class InMemorySigningKeyRepository extends SigningKeyRepository {
  readonly store = new MapStore<SigningKey>();
  locks = 0;
  async findActive() {
    const k = [...this.store.rows.values()].find((x) => x.status === 'active');
    return k ? SigningKey.restore(k.toProps()) : null;
  }
  async findUnretired() {
    return [...this.store.rows.values()]
      .filter((k) => k.status !== 'retired')
      .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime())
      .map((k) => SigningKey.restore(k.toProps()));
  }
  async insert(key: SigningKey) {
    if (key.status === 'active' && (await this.findActive())) throw new Error('second active key');
    this.store.rows.set(key.kid, SigningKey.restore(key.toProps()));
  }
  async update(key: SigningKey) {
    this.store.rows.set(key.kid, SigningKey.restore(key.toProps()));
  }
  async lockForRotation() {
    this.locks++;
  }
}

/** Reversible "hash" so tests run fast; the scrypt hasher has its own tests. */
export class PlainSecretHasher extends SecretHasher {
  async hash(secret: string) {
    return `plain:${secret}`;
  }
  async verify(secret: string, stored: string) {
    return stored === `plain:${secret}`;
  }
}

export class FixedOtpCodeGenerator extends OtpCodeGenerator {
  constructor(public code = '123456') {
    super();
  }
  generate() {
    return this.code;
  }
}

export class CapturingSmsSender extends SmsSender {
  sent: { to: string; text: string }[] = [];
  failNext = false;
  async send(to: string, text: string) {
    if (this.failNext) {
      this.failNext = false;
      throw new Error('gateway down');
    }
    this.sent.push({ to, text });
  }
  lastCode(): string | undefined {
    return /(\d{6})/.exec(this.sent.at(-1)?.text ?? '')?.[1];
  }
}

export function testSettings(overrides: Partial<IdentitySettings> = {}): IdentitySettings {
  return IdentitySettings.of({
    issuer: 'http://identity.test',
    audience: 'darvazeh',
    tokenTtlSeconds: 900,
    clockSkewSeconds: 60,
    keyRotationIntervalSeconds: 3600,
    otp: { ttlSeconds: 120, maxAttempts: 5, resendAfterSeconds: 60, maxFailures: 10, lockSeconds: 3600 },
    ...overrides,
  } as IdentitySettings);
}

export class InMemorySubscriberOwnershipRegistry extends SubscriberOwnershipRegistry {
  readonly store = new MapStore<SubscriberOwnership>();
  async record(o: SubscriberOwnership) {
    const key = `${o.msisdn}@${o.validFrom.toISOString()}`;
    const existing = this.store.rows.get(key);
    if (existing && existing.operatorCode !== o.operatorCode) return;
    this.store.rows.set(key, { ...o });
  }
  async ownerAt(msisdn: string, at: Date) {
    const latest = [...this.store.rows.values()]
      .filter((o) => o.msisdn === msisdn && o.validFrom.getTime() <= at.getTime())
      .sort((a, b) => b.validFrom.getTime() - a.validFrom.getTime())[0];
    if (!latest || latest.nationalCode === null) return null;
    if (latest.validTo && latest.validTo.getTime() <= at.getTime()) return null;
    return latest.nationalCode;
  }
}

/** One send per national code per `seconds` of the given clock. */
export class InMemoryOtpSendThrottle extends OtpSendThrottle {
  private readonly lastSend = new Map<string, number>();
  constructor(
    private readonly clock: Clock,
    private readonly seconds: () => number,
  ) {
    super();
  }
  async take(nationalCode: string) {
    const now = this.clock.now().getTime();
    const last = this.lastSend.get(nationalCode);
    const wait = last === undefined ? 0 : Math.ceil((last + this.seconds() * 1000 - now) / 1000);
    if (wait > 0) return { allowed: false, retryAfterSeconds: wait };
    this.lastSend.set(nationalCode, now);
    return { allowed: true, retryAfterSeconds: 0 };
  }
  async refund(nationalCode: string) {
    this.lastSend.delete(nationalCode);
  }
}
