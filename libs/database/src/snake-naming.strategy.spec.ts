import { describe, expect, it } from '@jest/globals';
import { SnakeNamingStrategy, snakeCase } from './snake-naming.strategy.js';

describe('SnakeNamingStrategy', () => {
  const naming = new SnakeNamingStrategy();

  it('turns class and property names into snake_case', () => {
    expect(snakeCase('deviceId')).toBe('device_id');
    expect(snakeCase('IMEIChecks')).toBe('imei_checks');
    expect(naming.tableName('DeviceRegistration', undefined)).toBe('device_registration');
    expect(naming.columnName('registeredAt', undefined, [])).toBe('registered_at');
    expect(naming.columnName('city', undefined, ['homeAddress'])).toBe('home_address_city');
  });

  it('keeps names given explicitly in decorators', () => {
    expect(naming.tableName('Device', 'hamta_devices')).toBe('hamta_devices');
    expect(naming.columnName('x', 'CustomName', [])).toBe('CustomName');
  });

  it('names join columns after the relation and the referenced column', () => {
    expect(naming.joinColumnName('ownerAgency', 'id')).toBe('owner_agency_id');
  });
});
