import { describe, expect, it } from '@jest/globals';
import { InvalidConfigError, loadEnv } from '@darvazeh/config';
import { IdentityEnv } from './identity.env.js';

const base = {
  DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/identity',
  JWKS_URL: 'http://127.0.0.1:3001/.well-known/jwks.json',
  JWT_ISSUER: 'http://127.0.0.1:3001',
  JWT_AUDIENCE: 'darvazeh',
  KEY_ENCRYPTION_SECRET: 'a-long-enough-key-encryption-secret',
};

function problems(source: Record<string, string>): string[] {
  try {
    loadEnv(IdentityEnv, source);
  } catch (e) {
    if (e instanceof InvalidConfigError) return e.problems.map((p) => p.variable).sort();
    throw e;
  }
  return [];
}

describe('IdentityEnv', () => {
  it('defaults: port 3001, 15-minute tokens, 2-minute OTP, 5 tries, 60 s resend, log SMS sink', () => {
    const env = loadEnv(IdentityEnv, base);
    expect(env).toMatchObject({
      PORT: 3001,
      ACCESS_TOKEN_TTL_SECONDS: 900,
      OTP_TTL_SECONDS: 120,
      OTP_MAX_ATTEMPTS: 5,
      OTP_RESEND_SECONDS: 60,
      SMS_SENDER: 'log',
    });
  });

  it('requires the key-encryption secret', () => {
    const { KEY_ENCRYPTION_SECRET: _omitted, ...rest } = base;
    expect(problems(rest)).toEqual(['KEY_ENCRYPTION_SECRET']);
    expect(problems({ ...base, KEY_ENCRYPTION_SECRET: 'short' })).toEqual(['KEY_ENCRYPTION_SECRET']);
  });

  it('requires SMS_HTTP_URL only with the http sender', () => {
    expect(problems({ ...base, SMS_SENDER: 'http' })).toEqual(['SMS_HTTP_URL']);
    expect(problems({ ...base, SMS_SENDER: 'http', SMS_HTTP_URL: 'http://sms.local/send' })).toEqual([]);
  });

  it('requires a bootstrap admin secret (16+ chars) with a bootstrap admin id', () => {
    expect(problems({ ...base, BOOTSTRAP_ADMIN_CLIENT_ID: 'admin' })).toEqual(['BOOTSTRAP_ADMIN_CLIENT_SECRET']);
    expect(problems({ ...base, BOOTSTRAP_ADMIN_CLIENT_ID: 'admin', BOOTSTRAP_ADMIN_CLIENT_SECRET: 'short' })).toEqual([
      'BOOTSTRAP_ADMIN_CLIENT_SECRET',
    ]);
    expect(problems({ ...base, BOOTSTRAP_ADMIN_CLIENT_ID: 'Admin!', BOOTSTRAP_ADMIN_CLIENT_SECRET: 'x'.repeat(16) })).toEqual([
      'BOOTSTRAP_ADMIN_CLIENT_ID',
    ]);
  });
});

describe('IdentityEnv scrypt cost', () => {
  it('accepts powers of two only', () => {
    expect(problems({ ...base, CLIENT_SECRET_SCRYPT_N: '65536' })).toEqual([]);
    expect(problems({ ...base, CLIENT_SECRET_SCRYPT_N: '50000' })).toEqual(['CLIENT_SECRET_SCRYPT_N']);
  });
});
