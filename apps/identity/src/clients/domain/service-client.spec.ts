import { describe, expect, it } from '@jest/globals';
import { ServiceClient } from './service-client.js';
import { ServiceClientDisabledError, ServicePrincipalInvalidError } from './client.errors.js';

const now = new Date('2025-03-01T10:00:00Z');
const base = { id: 'p1', clientId: 'mci-feed', secretHash: 'h1', displayName: 'MCI feed', now };

function fieldOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(ServicePrincipalInvalidError);
    return (e as ServicePrincipalInvalidError).errors?.[0]?.field;
  }
  throw new Error('expected ServicePrincipalInvalidError');
}

describe('ServiceClient', () => {
  it('an operator principal needs an operator code', () => {
    expect(fieldOf(() => ServiceClient.servicePrincipal({ ...base, roles: ['operator'] }))).toBe('operatorCode');
    const op = ServiceClient.servicePrincipal({ ...base, roles: ['operator'], operatorCode: 'MCI' });
    expect(op.roles).toEqual(['operator']);
    expect(op.operatorCode).toBe('MCI');
  });

  it('an operator code without the operator role is refused', () => {
    expect(fieldOf(() => ServiceClient.servicePrincipal({ ...base, roles: ['ca'], caIssuers: ['ca-1'], operatorCode: 'MCI' }))).toBe(
      'operatorCode',
    );
  });

  it('a CA principal names the issuers it acts for; nobody else may carry them', () => {
    expect(fieldOf(() => ServiceClient.servicePrincipal({ ...base, roles: ['ca'] }))).toBe('caIssuers');
    expect(fieldOf(() => ServiceClient.servicePrincipal({ ...base, roles: ['ca'], caIssuers: [] }))).toBe('caIssuers');
    expect(fieldOf(() => ServiceClient.servicePrincipal({ ...base, roles: ['ca'], caIssuers: ['Bad Alias'] }))).toBe('caIssuers');
    expect(fieldOf(() => ServiceClient.servicePrincipal({ ...base, roles: ['expert'], caIssuers: ['ca-1'] }))).toBe('caIssuers');
    const ca = ServiceClient.servicePrincipal({ ...base, roles: ['ca'], caIssuers: ['ca-1', 'ca-2', 'ca-1'] });
    expect(ca.caIssuers).toEqual(['ca-1', 'ca-2']);
  });

  it('roles must be service-principal roles: agency and citizen cannot be handed out here', () => {
    expect(fieldOf(() => ServiceClient.servicePrincipal({ ...base, roles: ['agency'] }))).toBe('roles');
    expect(fieldOf(() => ServiceClient.servicePrincipal({ ...base, roles: ['citizen'] }))).toBe('roles');
    expect(fieldOf(() => ServiceClient.servicePrincipal({ ...base, roles: [] }))).toBe('roles');
  });

  it('client ids are lowercase tokens', () => {
    expect(fieldOf(() => ServiceClient.servicePrincipal({ ...base, clientId: 'Bad Id', roles: ['ca'], caIssuers: ['ca-1'] }))).toBe(
      'clientId',
    );
  });

  it('rotation replaces the hash; a disabled client cannot rotate or be disabled again', () => {
    const c = ServiceClient.forAgency({ ...base, agencyId: 'a1' });
    const later = new Date(now.getTime() + 5000);
    c.rotateSecret('h2', later);
    expect(c.secretHash).toBe('h2');
    expect(c.secretRotatedAt).toEqual(later);
    c.disable(later);
    expect(c.isActive).toBe(false);
    expect(() => c.rotateSecret('h3', later)).toThrow(ServiceClientDisabledError);
    expect(() => c.disable(later)).toThrow(ServiceClientDisabledError);
  });

  it('grants all allowed scopes by default and refuses scopes beyond them', () => {
    const c = ServiceClient.forAgency({ ...base, agencyId: 'a1', scopes: ['notices:send', 'gsb:call'] });
    expect(c.grantScopes(undefined)).toEqual({ granted: ['notices:send', 'gsb:call'] });
    expect(c.grantScopes(['gsb:call'])).toEqual({ granted: ['gsb:call'] });
    expect(c.grantScopes(['gsb:call', 'admin'])).toEqual({ refused: ['admin'] });
  });
});
