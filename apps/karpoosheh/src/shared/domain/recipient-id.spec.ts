import { describe, expect, it } from '@jest/globals';
import { parseRecipient, parseRecipientList } from './recipient-id.js';

describe('recipients (national codes and company national IDs, via @darvazeh/core)', () => {
  it('takes a citizen national code with a valid check digit, also in Persian digits', () => {
    expect(parseRecipient('0012345679')).toEqual({ id: '0012345679', kind: 'citizen' });
    expect(parseRecipient('۰۰۱۲۳۴۵۶۷۹')).toEqual({ id: '0012345679', kind: 'citizen' });
  });

  it('takes an 11-digit company national ID with a valid check digit', () => {
    expect(parseRecipient('10380284790')).toEqual({ id: '10380284790', kind: 'company' });
  });

  it('refuses wrong check digits and lengths', () => {
    expect(parseRecipient('0012345678')).toBeNull();
    expect(parseRecipient('10380284791')).toBeNull();
    expect(parseRecipient('12345')).toBeNull();
    expect(parseRecipient('abc')).toBeNull();
  });

  it('refuses a list with any malformed entry whole, naming the positions', () => {
    expect(() => parseRecipientList(['0012345679', '0012345678', 'x'], 10)).toThrow(
      expect.objectContaining({ code: 'KARPOOSHEH.RECIPIENT_INVALID', errors: [expect.objectContaining({ field: 'recipients[1]' }), expect.objectContaining({ field: 'recipients[2]' })] }),
    );
  });

  it('folds duplicates and enforces the list size limits', () => {
    expect(parseRecipientList(['0012345679', '۰۰۱۲۳۴۵۶۷۹', '10380284790'], 10)).toEqual({
      recipients: [{ id: '0012345679', kind: 'citizen' }, { id: '10380284790', kind: 'company' }],
      duplicates: 1,
    });
    expect(() => parseRecipientList([], 10)).toThrow(expect.objectContaining({ code: 'KARPOOSHEH.NO_RECIPIENTS' }));
    expect(() => parseRecipientList(['0012345679', '0084575948'], 1)).toThrow(expect.objectContaining({ code: 'KARPOOSHEH.TOO_MANY_RECIPIENTS' }));
  });
});
