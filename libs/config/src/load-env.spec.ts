import { describe, expect, it } from '@jest/globals';
import { IsInt, IsString, Min } from 'class-validator';
import { Type } from 'class-transformer';
import { InvalidConfigError } from './invalid-config.error.js';
import { loadEnv } from './load-env.js';
import { ServiceEnv } from './service.env.js';

const valid = {
  DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/x',
  JWKS_URL: 'http://127.0.0.1:3001/.well-known/jwks.json',
  JWT_ISSUER: 'http://127.0.0.1:3001',
  JWT_AUDIENCE: 'darvazeh',
};

class AppEnv extends ServiceEnv {
  @IsString()
  SMS_SENDER!: string;

  @Type(() => Number)
  @IsInt()
  @Min(1)
  OTP_TTL_SECONDS: number = 120;
}

function problemsOf(fn: () => unknown): InvalidConfigError {
  try {
    fn();
  } catch (e) {
    if (e instanceof InvalidConfigError) return e;
    throw e;
  }
  throw new Error('expected InvalidConfigError');
}

describe('loadEnv', () => {
  it('applies safe defaults when only the required variables are given', () => {
    const env = loadEnv(ServiceEnv, valid);
    expect(env).toBeInstanceOf(ServiceEnv);
    expect(env.HOST).toBe('127.0.0.1');
    expect(env.PORT).toBe(3000);
    expect(env.LOG_LEVEL).toBe('info');
    expect(env.MIGRATE_ON_START).toBe(true);
    expect(env.OUTBOX_RELAY_ENABLED).toBe(true);
    expect(env.BODY_LIMIT_BYTES).toBe(1024 * 1024);
    expect(env.KAFKA_BROKERS).toEqual([]);
  });

  it('converts numbers, booleans and the broker list from strings', () => {
    const env = loadEnv(ServiceEnv, {
      ...valid,
      PORT: '3005',
      MIGRATE_ON_START: 'false',
      OUTBOX_RELAY_ENABLED: '0',
      KAFKA_BROKERS: ' a:9092, b:9093 ,',
      KAFKA_TOPIC_PARTITIONS: '6',
      BODY_LIMIT_BYTES: '2048',
    });
    expect(env.PORT).toBe(3005);
    expect(env.MIGRATE_ON_START).toBe(false);
    expect(env.OUTBOX_RELAY_ENABLED).toBe(false);
    expect(env.KAFKA_BROKERS).toEqual(['a:9092', 'b:9093']);
    expect(env.KAFKA_TOPIC_PARTITIONS).toBe(6);
    expect(env.BODY_LIMIT_BYTES).toBe(2048);
  });

  it('treats an empty string as unset so the default applies', () => {
    const env = loadEnv(ServiceEnv, { ...valid, KAFKA_BROKERS: '', LOG_LEVEL: '' });
    expect(env.KAFKA_BROKERS).toEqual([]);
    expect(env.LOG_LEVEL).toBe('info');
  });

  it('names every missing required variable in one error', () => {
    const error = problemsOf(() => loadEnv(ServiceEnv, {}));
    const names = error.problems.map((p) => p.variable).sort();
    expect(names).toEqual(['DATABASE_URL', 'JWKS_URL', 'JWT_AUDIENCE', 'JWT_ISSUER']);
    for (const name of names) expect(error.message).toContain(`${name}: is missing`);
  });

  it('names every malformed variable with what is wrong', () => {
    const error = problemsOf(() =>
      loadEnv(ServiceEnv, {
        ...valid,
        PORT: 'eighty',
        LOG_LEVEL: 'loud',
        MIGRATE_ON_START: 'maybe',
        DATABASE_URL: 'mysql://x',
        KAFKA_BROKERS: 'broker-without-port',
      }),
    );
    const byName = Object.fromEntries(error.problems.map((p) => [p.variable, p.problems.join(' ')]));
    expect(Object.keys(byName).sort()).toEqual([
      'DATABASE_URL',
      'KAFKA_BROKERS',
      'LOG_LEVEL',
      'MIGRATE_ON_START',
      'PORT',
    ]);
    expect(byName.PORT).toMatch(/integer/);
    expect(byName.LOG_LEVEL).toMatch(/one of/);
    expect(byName.MIGRATE_ON_START).toMatch(/boolean/);
    expect(byName.DATABASE_URL).toMatch(/postgres/);
    expect(byName.KAFKA_BROKERS).toMatch(/host:port/);
    expect(error.message).toContain('PORT:');
    expect(error.message).toContain('LOG_LEVEL:');
  });

  it('validates the variables an app adds on top of ServiceEnv', () => {
    const error = problemsOf(() => loadEnv(AppEnv, { ...valid, OTP_TTL_SECONDS: '0' }));
    expect(error.problems.map((p) => p.variable).sort()).toEqual(['OTP_TTL_SECONDS', 'SMS_SENDER']);
    const env = loadEnv(AppEnv, { ...valid, SMS_SENDER: 'log' });
    expect(env).toBeInstanceOf(AppEnv);
    expect(env.OTP_TTL_SECONDS).toBe(120);
  });

  it('ignores unrelated variables of the process environment', () => {
    const env = loadEnv(ServiceEnv, { ...valid, PATH: '/usr/bin', HOME: '/root' });
    expect(env).not.toHaveProperty('PATH');
  });
});
