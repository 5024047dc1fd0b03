import { describe, expect, it } from '@jest/globals';
import { Agency } from './agency.js';
import { AgencyDisabledError, AgencyFieldInvalidError, AgencyNationalIdInvalidError } from './agency.errors.js';

const now = new Date('2025-03-01T10:00:00Z');
const valid = {
  id: '0195a0b2-0000-7000-8000-000000000001',
  name: ' Ministry of ICT ',
  nationalId: '10380284790',
  parentMinistry: 'Ministry of ICT',
  type: 'ministry',
  now,
};

describe('Agency', () => {
  it('registers an active agency with trimmed text', () => {
    const agency = Agency.register(valid);
    expect(agency.name).toBe('Ministry of ICT');
    expect(agency.status).toBe('active');
    expect(agency.createdAt).toEqual(now);
  });

  it('refuses a legal national ID with a wrong check digit, naming the field', () => {
    const attempt = () => Agency.register({ ...valid, nationalId: '10380284791' });
    expect(attempt).toThrow(AgencyNationalIdInvalidError);
    try {
      attempt();
    } catch (e) {
      expect((e as AgencyNationalIdInvalidError).errors?.[0]?.field).toBe('nationalId');
    }
  });

  it('refuses an unknown agency type and empty names', () => {
    expect(() => Agency.register({ ...valid, type: 'club' })).toThrow(AgencyFieldInvalidError);
    expect(() => Agency.register({ ...valid, name: '   ' })).toThrow(AgencyFieldInvalidError);
    expect(() => Agency.register({ ...valid, parentMinistry: '' })).toThrow(AgencyFieldInvalidError);
  });

  it('disables once and refuses changes afterwards', () => {
    const agency = Agency.register(valid);
    const later = new Date(now.getTime() + 1000);
    agency.disable(later);
    expect(agency.status).toBe('disabled');
    expect(agency.disabledAt).toEqual(later);
    expect(() => agency.disable(later)).toThrow(AgencyDisabledError);
    expect(() => agency.assertActive()).toThrow(AgencyDisabledError);
  });
});
