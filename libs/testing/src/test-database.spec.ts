import { describe, expect, it } from '@jest/globals';
import { assertTestDatabaseName, createTestDatabase, dropTestDatabase } from './test-database.js';

describe('test database names', () => {
  it('accepts the generated darvazeh_test_* names', () => {
    expect(() => assertTestDatabaseName('darvazeh_test_identity_0a1b2c3d4e')).not.toThrow();
  });

  it('refuses a name without "test" so a test can never touch a real database', () => {
    for (const name of ['postgres', 'darvazeh_identity', 'darvazeh_device_registry']) {
      expect(() => assertTestDatabaseName(name)).toThrow(/must contain "test"/);
    }
  });

  it('refuses names that would need quoting', () => {
    expect(() => assertTestDatabaseName('test"; drop database postgres; --')).toThrow(/invalid test database name/);
  });

  it('createTestDatabase refuses a chosen name without "test" before contacting any server', async () => {
    await expect(createTestDatabase('x', { name: 'darvazeh_identity' })).rejects.toThrow(/must contain "test"/);
  });

  it('dropTestDatabase refuses to drop a non-test database', async () => {
    await expect(dropTestDatabase('postgres')).rejects.toThrow(/must contain "test"/);
  });
});
