import { describe, expect, it } from '@jest/globals';
import { maskMobile, normalizeMobile } from './mobile-number.js';

describe('normalizeMobile', () => {
  it.each(['09121234567', '+989121234567', '989121234567', '00989121234567', '0912 123 4567', '+98-912-123-4567', '۰۹۱۲۱۲۳۴۵۶۷'])(
    'normalises %s to 09121234567',
    (input) => expect(normalizeMobile(input)).toBe('09121234567'),
  );

  it.each(['02188888888', '0912123456', '091212345678', '+19121234567', '9121234567', 'abc', ''])(
    'rejects %s',
    (input) => expect(normalizeMobile(input)).toBeUndefined(),
  );

  it('masks the middle digits', () => {
    expect(maskMobile('09121234567')).toBe('0912***4567');
  });
});
