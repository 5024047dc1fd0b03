import { beforeEach, describe, expect, it } from '@jest/globals';
import { createLocalJWKSet, jwtVerify } from 'jose';
import { CITIZEN_REGISTERED_V1, PRINCIPAL_DISABLED_V1, PRINCIPAL_ENABLED_V1 } from '@darvazeh/contracts';
import { identityWorld, ownLine, type IdentityWorld } from '../../testing/identity-world.js';
import {
  CitizenAlreadyRegisteredError,
  MobileNotOwnedError,
  NationalCodeInvalidError,
  OtpInvalidError,
  OtpResendTooSoonError,
  SmsDeliveryFailedError,
} from '../domain/citizen.errors.js';

const nationalCode = '1583250689';

describe('citizen use cases', () => {
  let w: IdentityWorld;
  beforeEach(async () => {
    w = identityWorld();
    await w.rotateKeys.execute({ mode: 'if-missing' });
    await ownLine(w, '989121234567', nationalCode);
  });

  it('registers a citizen with a normalised mobile and publishes citizen.registered without it', async () => {
    const c = await w.registerCitizen.execute({ nationalCode, mobile: '+989121234567' });
    expect(c.mobile).toBe('989121234567');
    expect(w.outbox.events).toEqual([
      expect.objectContaining({ type: CITIZEN_REGISTERED_V1, subject: c.id, data: expect.objectContaining({ nationalCode }) }),
    ]);
    expect(JSON.stringify(w.outbox.events[0].data)).not.toContain('0912');
    await ownLine(w, '989120000000', nationalCode);
    await expect(w.registerCitizen.execute({ nationalCode, mobile: '09120000000' })).rejects.toBeInstanceOf(
      CitizenAlreadyRegisteredError,
    );
    expect(w.outbox.events).toHaveLength(1);
  });

  it('logs a citizen in with the SMS code: token with role citizen and national_code', async () => {
    const c = await w.registerCitizen.execute({ nationalCode, mobile: '09121234567' });
    w.codes.code = '042917';
    const sent = await w.requestOtp.execute({ nationalCode });
    expect(sent).toEqual({ expiresInSeconds: 120, resendAfterSeconds: 60 });
    expect(w.sms.sent).toHaveLength(1);
    expect(w.sms.sent[0].to).toBe('09121234567');
    expect(w.sms.lastCode()).toBe('042917');
    expect(w.challenges.store.rows.get(c.id)?.codeHash).not.toContain('042917');

    const { accessToken } = await w.verifyOtp.execute({ nationalCode, code: '042917' });
    const { payload } = await jwtVerify(accessToken, createLocalJWKSet(await w.jwks.execute()), {
      issuer: 'http://identity.test',
      audience: 'darvazeh',
      currentDate: w.clock.now(),
    });
    expect(payload).toMatchObject({ sub: c.id, roles: ['citizen'], national_code: nationalCode });
    // One use only.
    await expect(w.verifyOtp.execute({ nationalCode, code: '042917' })).rejects.toBeInstanceOf(OtpInvalidError);
  });

  it('a disabled citizen gets no code and no token; principal.disabled/enabled carry the token subject', async () => {
    const c = await w.registerCitizen.execute({ nationalCode, mobile: '09121234567' });
    await w.requestOtp.execute({ nationalCode });
    await w.disableCitizen.execute({ citizenId: c.id });
    await expect(w.verifyOtp.execute({ nationalCode, code: w.sms.lastCode()! })).rejects.toBeInstanceOf(OtpInvalidError);
    w.clock.advanceSeconds(61);
    await expect(w.requestOtp.execute({ nationalCode })).resolves.toEqual({ expiresInSeconds: 120, resendAfterSeconds: 60 });
    expect(w.sms.sent).toHaveLength(1);
    w.clock.advanceSeconds(61);
    await w.enableCitizen.execute({ citizenId: c.id });
    await w.requestOtp.execute({ nationalCode });
    await expect(w.verifyOtp.execute({ nationalCode, code: w.sms.lastCode()! })).resolves.toHaveProperty('accessToken');
    expect(w.outbox.events.slice(1).map((e) => [e.type, e.data])).toEqual([
      [PRINCIPAL_DISABLED_V1, { principalId: c.id, subject: c.id, kind: 'citizen', at: expect.any(String) }],
      [PRINCIPAL_ENABLED_V1, { principalId: c.id, subject: c.id, kind: 'citizen', at: expect.any(String) }],
    ]);
  });

  it('refuses the right code after 2 minutes (injected clock)', async () => {
    await w.registerCitizen.execute({ nationalCode, mobile: '09121234567' });
    await w.requestOtp.execute({ nationalCode });
    w.clock.advanceSeconds(120);
    await expect(w.verifyOtp.execute({ nationalCode, code: '123456' })).rejects.toBeInstanceOf(OtpInvalidError);
  });

  it('counts wrong tries and refuses even the right code after five (attempts persist across calls)', async () => {
    const c = await w.registerCitizen.execute({ nationalCode, mobile: '09121234567' });
    await w.requestOtp.execute({ nationalCode });
    for (let i = 0; i < 5; i++) {
      await expect(w.verifyOtp.execute({ nationalCode, code: '000000' })).rejects.toBeInstanceOf(OtpInvalidError);
    }
    expect(w.challenges.store.rows.get(c.id)?.attempts).toBe(5);
    await expect(w.verifyOtp.execute({ nationalCode, code: '123456' })).rejects.toBeInstanceOf(OtpInvalidError);
  });

  it('throttles resends for 60 s; a new code replaces the old one', async () => {
    await w.registerCitizen.execute({ nationalCode, mobile: '09121234567' });
    w.codes.code = '111111';
    await w.requestOtp.execute({ nationalCode });
    w.clock.advanceSeconds(30);
    await expect(w.requestOtp.execute({ nationalCode })).rejects.toBeInstanceOf(OtpResendTooSoonError);
    expect(w.sms.sent).toHaveLength(1);
    w.clock.advanceSeconds(30);
    w.codes.code = '222222';
    await w.requestOtp.execute({ nationalCode });
    await expect(w.verifyOtp.execute({ nationalCode, code: '111111' })).rejects.toBeInstanceOf(OtpInvalidError);
    await expect(w.verifyOtp.execute({ nationalCode, code: '222222' })).resolves.toHaveProperty('accessToken');
  });

  it('an SMS failure leaves no challenge behind, so the citizen may retry at once', async () => {
    const c = await w.registerCitizen.execute({ nationalCode, mobile: '09121234567' });
    w.sms.failNext = true;
    await expect(w.requestOtp.execute({ nationalCode })).rejects.toBeInstanceOf(SmsDeliveryFailedError);
    expect(w.challenges.store.rows.has(c.id)).toBe(false);
    await expect(w.requestOtp.execute({ nationalCode })).resolves.toHaveProperty('expiresInSeconds');
    expect(w.sms.sent).toHaveLength(1);
  });

  it('rejects a malformed national code; an unknown one gets the answer a registered one gets, and no SMS', async () => {
    await w.registerCitizen.execute({ nationalCode, mobile: '09121234567' });
    await expect(w.requestOtp.execute({ nationalCode: '1111111111' })).rejects.toBeInstanceOf(NationalCodeInvalidError);
    const unknown = await w.requestOtp.execute({ nationalCode: '0499370899' });
    const known = await w.requestOtp.execute({ nationalCode });
    expect(unknown).toEqual(known);
    expect(w.sms.sent).toHaveLength(1);
    // The resend period holds for unknown codes too, so a 429 does not tell them apart either.
    await expect(w.requestOtp.execute({ nationalCode: '0499370899' })).rejects.toBeInstanceOf(OtpResendTooSoonError);
    await expect(w.requestOtp.execute({ nationalCode })).rejects.toBeInstanceOf(OtpResendTooSoonError);
    const wrongUnknown = await w.verifyOtp.execute({ nationalCode: '0499370899', code: '123456' }).catch((e: unknown) => e);
    const wrongKnown = await w.verifyOtp.execute({ nationalCode, code: '000000' }).catch((e: unknown) => e);
    expect(wrongUnknown).toBeInstanceOf(OtpInvalidError);
    expect((wrongUnknown as Error).message).toBe((wrongKnown as Error).message);
  });

  it('registration needs the operators record binding the mobile to the national code now, and says nothing of its owner', async () => {
    const other = '0499370899';
    await ownLine(w, '989351112233', other);
    for (const mobile of ['09351112233', '09359998877']) {
      const refused = await w.registerCitizen.execute({ nationalCode, mobile }).catch((e: unknown) => e);
      expect(refused).toBeInstanceOf(MobileNotOwnedError);
      expect(JSON.stringify({ message: (refused as Error).message, errors: (refused as MobileNotOwnedError).errors })).not.toContain(other);
    }
    // Terminated, then sold to the caller: the latest record counts.
    await ownLine(w, '989351112233', null, new Date('2024-01-01T00:00:00Z'));
    await expect(w.registerCitizen.execute({ nationalCode: other, mobile: '09351112233' })).rejects.toBeInstanceOf(MobileNotOwnedError);
    await ownLine(w, '989351112233', nationalCode, new Date('2024-06-01T00:00:00Z'));
    await expect(w.registerCitizen.execute({ nationalCode, mobile: '09351112233' })).resolves.toHaveProperty('id');
    expect(w.outbox.events).toHaveLength(1);
  });

  it('locks logins after ten wrong codes across new codes; even the right code is then refused', async () => {
    await w.registerCitizen.execute({ nationalCode, mobile: '09121234567' });
    for (let round = 0; round < 2; round++) {
      await w.requestOtp.execute({ nationalCode });
      for (let i = 0; i < 5; i++) await expect(w.verifyOtp.execute({ nationalCode, code: '000000' })).rejects.toBeInstanceOf(OtpInvalidError);
      w.clock.advanceSeconds(61);
    }
    expect(w.sms.sent).toHaveLength(2);
    // Locked: the request is answered as usual but no code is sent, and no code works.
    await expect(w.requestOtp.execute({ nationalCode })).resolves.toHaveProperty('expiresInSeconds');
    expect(w.sms.sent).toHaveLength(2);
    w.clock.advanceSeconds(3600);
    w.codes.code = '654321';
    await w.requestOtp.execute({ nationalCode });
    expect(w.sms.sent).toHaveLength(3);
    await expect(w.verifyOtp.execute({ nationalCode, code: '654321' })).resolves.toHaveProperty('accessToken');
  });

  it('an ownership record that is not valid is refused (dead-lettered by the transport); a record of another operator is kept', async () => {
    await expect(
      w.recordOwnership.execute({ operatorCode: 'FOO', msisdn: '0912', nationalCode: '1111111111', validFrom: '2020-01-01T00:00:00Z' }),
    ).rejects.toMatchObject({ code: 'IDENTITY.SUBSCRIBER_OWNERSHIP_INVALID' });
    await w.recordOwnership.execute({ operatorCode: 'IRANCELL', msisdn: '09121234567', nationalCode: '0499370899', validFrom: '2020-01-01T00:00:00.000Z' });
    await expect(w.registerCitizen.execute({ nationalCode, mobile: '09121234567' })).resolves.toHaveProperty('id');
  });
});
