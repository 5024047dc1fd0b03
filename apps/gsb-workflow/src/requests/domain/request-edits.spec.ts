import { describe, expect, it } from '@jest/globals';
import { EMPTY_DRAFT, type RequestRecord } from './request.js';
import { changedFields } from './request-edits.js';

const base = {
  id: 'r',
  kind: 'SERVICE',
  agencyId: 'a',
  createdBy: 'u',
  state: 'DRAFT',
  environment: 'GSB',
  serviceCode: 'hamta.imei-status',
  providerAgencyId: 'p',
  draft: { ...EMPTY_DRAFT, letter: { number: '1', date: '2026-11-01' }, contact: null },
  letterFile: null,
} as unknown as RequestRecord;

describe('changedFields: which fields an edit changed', () => {
  it('names sub-fields of objects and top-level fields, sorted', () => {
    const after = { ...base, serviceCode: 'ocsp.status', draft: { ...base.draft, letter: { number: '2', date: '2026-11-01' }, contact: { email: 'a@b.ir' } } };
    expect(changedFields(base, after)).toEqual(['contact.email', 'letter.number', 'serviceCode']);
  });
  it('a value set to what it already was is no change', () => {
    expect(changedFields(base, { ...base, draft: { ...base.draft, letter: { number: '1', date: '2026-11-01' } } })).toEqual([]);
  });
  it('clearing an object names each sub-field that had a value', () => {
    expect(changedFields(base, { ...base, draft: { ...base.draft, letter: null } })).toEqual(['letter.date', 'letter.number']);
  });
  it('a new letter file is "letterFile", without its bytes or digest', () => {
    const after = { ...base, letterFile: { contentType: 'application/pdf', size: 10, sha256: 'ab'.repeat(32) } };
    expect(changedFields(base, after)).toEqual(['letterFile']);
  });
  it('arrays and quotas of a connection request', () => {
    const c = { ...base, kind: 'CONNECTION', draft: { ...EMPTY_DRAFT, ipRanges: ['10.0.0.0/8'] } } as RequestRecord;
    expect(changedFields(c, { ...c, draft: { ...c.draft, ipRanges: ['10.0.0.0/16'], requestedQuotaPerDay: 5 } })).toEqual(['ipRanges', 'requestedQuotaPerDay']);
  });
});
