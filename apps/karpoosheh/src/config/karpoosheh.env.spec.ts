import { describe, expect, it } from '@jest/globals';
import { loadEnv } from '@darvazeh/config';
import { KarpooshehEnv } from './karpoosheh.env.js';

const base = { SERVICE_NAME: 'karpoosheh', DATABASE_URL: 'postgres://x@127.0.0.1/karpoosheh_test', JWKS_URL: 'http://127.0.0.1:1/jwks.json', JWT_ISSUER: 'test', JWT_AUDIENCE: 'darvazeh' };

describe('attachment store configuration', () => {
  it('keeps attachments in PostgreSQL unless told otherwise', () => {
    expect(loadEnv(KarpooshehEnv, base).ATTACHMENT_STORE).toBe('postgres');
  });

  it('refuses ATTACHMENT_STORE=s3 without a bucket, naming the variable', () => {
    expect(() => loadEnv(KarpooshehEnv, { ...base, ATTACHMENT_STORE: 's3' })).toThrow(/ATTACHMENT_S3_BUCKET/);
  });

  it('reads the S3 settings (path style as a boolean, checksums only when required by default)', () => {
    const env = loadEnv(KarpooshehEnv, { ...base, ATTACHMENT_STORE: 's3', ATTACHMENT_S3_BUCKET: 'b', ATTACHMENT_S3_ENDPOINT: 'http://127.0.0.1:9000', ATTACHMENT_S3_FORCE_PATH_STYLE: 'true' });
    expect(env).toMatchObject({ ATTACHMENT_STORE: 's3', ATTACHMENT_S3_BUCKET: 'b', ATTACHMENT_S3_FORCE_PATH_STYLE: true, ATTACHMENT_S3_CHECKSUMS: 'WHEN_REQUIRED', ATTACHMENT_S3_REGION: 'us-east-1' });
  });

  it('refuses an unknown store', () => {
    expect(() => loadEnv(KarpooshehEnv, { ...base, ATTACHMENT_STORE: 'ftp' })).toThrow(/ATTACHMENT_STORE/);
  });
});
