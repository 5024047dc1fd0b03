import { beforeEach, describe, expect, it } from '@jest/globals';
import { AGENCY_DISABLED_V1, AGENCY_REGISTERED_V1, PRINCIPAL_DISABLED_V1 } from '@darvazeh/contracts';
import { identityWorld, type IdentityWorld } from '../../testing/identity-world.js';
import { AgencyDisabledError, AgencyNationalIdInvalidError, AgencyNationalIdTakenError } from '../domain/agency.errors.js';
import { InvalidClientError } from '../../clients/domain/client.errors.js';

const input = { name: 'Ministry of ICT', nationalId: '10380284790', parentMinistry: 'Ministry of ICT', type: 'ministry' };

describe('agency use cases', () => {
  let w: IdentityWorld;
  beforeEach(async () => {
    w = identityWorld();
    await w.rotateKeys.execute({ mode: 'if-missing' });
  });

  it('registers an agency with its client and an agency.registered event without the secret', async () => {
    const { agency, credentials } = await w.registerAgency.execute(input);
    expect(credentials.clientSecret.length).toBeGreaterThanOrEqual(43);
    const stored = await w.clients.findByClientId(credentials.clientId);
    expect(stored?.agencyId).toBe(agency.id);
    expect(stored?.secretHash).not.toBe(credentials.clientSecret);
    expect(w.outbox.events).toHaveLength(1);
    const [event] = w.outbox.events;
    expect(event.type).toBe(AGENCY_REGISTERED_V1);
    expect(event.subject).toBe(agency.id);
    expect(event.data).toMatchObject({ agencyId: agency.id, nationalId: '10380284790', clientId: credentials.clientId });
    expect(JSON.stringify(event.data)).not.toContain(credentials.clientSecret);
  });

  it('refuses a duplicate legal national ID and writes nothing', async () => {
    await w.registerAgency.execute(input);
    await expect(w.registerAgency.execute({ ...input, name: 'Other' })).rejects.toBeInstanceOf(AgencyNationalIdTakenError);
    expect(w.agencies.store.rows.size).toBe(1);
    expect(w.clients.store.rows.size).toBe(1);
    expect(w.outbox.events).toHaveLength(1);
  });

  it('refuses a bad check digit before touching the database', async () => {
    await expect(w.registerAgency.execute({ ...input, nationalId: '10380284791' })).rejects.toBeInstanceOf(
      AgencyNationalIdInvalidError,
    );
    expect(w.tx.runs).toBe(1); // only the key bootstrap
    expect(w.agencies.store.rows.size).toBe(0);
  });

  it('rotation issues a new secret: the old one stops working, the new one works', async () => {
    const { agency, credentials } = await w.registerAgency.execute(input);
    const rotated = await w.rotateAgencySecret.execute({ agencyId: agency.id });
    expect(rotated.clientId).toBe(credentials.clientId);
    expect(rotated.clientSecret).not.toBe(credentials.clientSecret);
    await expect(w.issueToken.execute(credentials)).rejects.toBeInstanceOf(InvalidClientError);
    await expect(w.issueToken.execute(rotated)).resolves.toHaveProperty('accessToken');
  });

  it('disabling stops the client credentials and publishes agency.disabled and principal.disabled once', async () => {
    const { agency, credentials } = await w.registerAgency.execute(input);
    await w.issueToken.execute(credentials);
    await w.disableAgency.execute({ agencyId: agency.id });
    await expect(w.issueToken.execute(credentials)).rejects.toBeInstanceOf(InvalidClientError);
    expect(w.outbox.events.map((e) => e.type)).toEqual([AGENCY_REGISTERED_V1, AGENCY_DISABLED_V1, PRINCIPAL_DISABLED_V1]);
    expect(w.outbox.events[2]!.data).toMatchObject({ subject: credentials.clientId, kind: 'service_client' });
    await expect(w.disableAgency.execute({ agencyId: agency.id })).rejects.toBeInstanceOf(AgencyDisabledError);
    await expect(w.rotateAgencySecret.execute({ agencyId: agency.id })).rejects.toBeInstanceOf(AgencyDisabledError);
    expect(w.outbox.events).toHaveLength(3);
  });
});
