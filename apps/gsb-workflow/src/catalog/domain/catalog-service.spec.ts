import { describe, expect, it } from '@jest/globals';
import { catalogProblems, mayManage } from './catalog-service.js';

const ok = {
  code: 'hamta.imei-status',
  title: 'استعلام IMEI',
  description: '',
  providerAgencyId: '0190a0c0-0000-7000-8000-000000000001',
  environments: ['GSB', 'PGSB'],
  upstreamUrl: 'http://127.0.0.1:3002/eir/check',
  status: 'ACTIVE',
};

describe('catalog entries', () => {
  it('a complete entry has no problems', () => expect(catalogProblems(ok)).toEqual([]));
  it.each([
    ['code', { code: 'Hamta IMEI' }],
    ['title', { title: ' ' }],
    ['providerAgencyId', { providerAgencyId: 'hamta' }],
    ['environments', { environments: [] }],
    ['environments', { environments: ['GSB', 'GSB'] }],
    ['environments', { environments: ['XGSB'] }],
    ['upstreamUrl', { upstreamUrl: 'ftp://x' }],
    ['status', { status: 'OPEN' }],
  ])('reports a bad %s', (field, change) => {
    expect(catalogProblems({ ...ok, ...change }).map((p) => p.field)).toEqual([field]);
  });

  it('a provider manages its own entries only; admins all', () => {
    const provider = { subject: 's', roles: ['agency'], agencyId: ok.providerAgencyId };
    expect(mayManage(provider, ok.providerAgencyId)).toBe(true);
    expect(mayManage({ ...provider, agencyId: '0190a0c0-0000-7000-8000-000000000002' }, ok.providerAgencyId)).toBe(false);
    expect(mayManage({ subject: 'e', roles: ['expert'] }, ok.providerAgencyId)).toBe(false);
    expect(mayManage({ subject: 'a', roles: ['admin'] }, ok.providerAgencyId)).toBe(true);
  });
});
