import { describe, expect, it } from '@jest/globals';
import {
  formatMsisdnNational, imeiCoreOrCode, isGsbEnvironment, isIssuerAlias, isOperatorCode, isRole, isServiceCode,
  isValidCompanyNationalId, isValidNationalCode, luhnCheckDigit, maskMsisdn, parseCompanyNationalId, parseImei,
  parseMsisdn, parseNationalCode, toAsciiDigits,
} from '../index.js';

describe('toAsciiDigits', () => {
  it('maps Persian and Arabic-Indic digits and leaves other characters alone', () => {
    expect(toAsciiDigits('۰۹۱۲ ٣٤٥')).toBe('0912 345');
    expect(toAsciiDigits('abc-1')).toBe('abc-1');
  });
});

describe('national code (کد ملی)', () => {
  // Published valid examples (persian-tools test-suite), covering both branches r < 2 and r ≥ 2.
  it.each(['0499370899', '0790419904', '1583250689', '0684159414', '4400276201', '2540201288'])(
    'accepts the known-valid code %s',
    (code) => expect(isValidNationalCode(code)).toBe(true),
  );

  it.each(['1234567890', '0499370898', '1583250680', '049937089', '04993708990', '049937089a'])(
    'rejects %s (wrong check digit or shape)',
    (code) => expect(isValidNationalCode(code)).toBe(false),
  );

  it('rejects codes of one repeated digit although they pass the checksum', () => {
    expect(isValidNationalCode('1111111111')).toBe(false);
    expect(isValidNationalCode('0000000000')).toBe(false);
  });

  it('parses Persian digits and surrounding blanks; refuses non-strings', () => {
    expect(parseNationalCode(' ۱۵۸۳۲۵۰۶۸۹ ')).toBe('1583250689');
    expect(parseNationalCode(1583250689)).toBeUndefined();
    expect(parseNationalCode('1583250680')).toBeUndefined();
  });
});

describe('company national ID (شناسه ملی)', () => {
  // 10380284790: the persian-tools suite's valid legal national ID; its mutations are its invalid ones.
  it('accepts a known-valid ID', () => expect(isValidCompanyNationalId('10380284790')).toBe(true));

  it('rejects every other check digit and a changed body digit', () => {
    for (let c = 1; c <= 9; c++) expect(isValidCompanyNationalId(`1038028479${c}`)).toBe(false);
    expect(isValidCompanyNationalId('10380285692')).toBe(false);
  });

  it('rejects wrong lengths, non-digits and an all-zero serial part', () => {
    expect(isValidCompanyNationalId('1038028479')).toBe(false);
    expect(isValidCompanyNationalId('103802847900')).toBe(false);
    expect(isValidCompanyNationalId('00000000000')).toBe(false);
    expect(isValidCompanyNationalId('10300000090')).toBe(false);
  });

  it('parses Persian digits', () => expect(parseCompanyNationalId('۱۰۳۸۰۲۸۴۷۹۰')).toBe('10380284790'));
});

describe('MSISDN', () => {
  it.each(['09121234567', '9121234567', '989121234567', '+989121234567', '00989121234567', '0912 123 4567', '0912-123-4567', '۰۹۱۲۱۲۳۴۵۶۷', '(0912) 123.4567'])(
    'reads %s as 989121234567',
    (raw) => expect(parseMsisdn(raw)).toBe('989121234567'),
  );

  it.each(['02112345678', '0812345678', '091212345678', '+449121234567', '', 'abc', '0912123456'])(
    'refuses %s (landline, foreign, wrong length)',
    (raw) => expect(parseMsisdn(raw)).toBeUndefined(),
  );

  it('formats and masks for people', () => {
    expect(formatMsisdnNational('989121234567')).toBe('09121234567');
    expect(maskMsisdn('989121234567')).toBe('0912***4567');
  });
});

describe('IMEI', () => {
  it('computes the published Luhn check digits (GSMA / Wikipedia examples)', () => {
    expect(luhnCheckDigit('49015420323751')).toBe(8);
    expect(luhnCheckDigit('35209900176148')).toBe(1);
  });

  it('accepts 15 digits with the right check digit, 14 digits, and a 16-digit IMEISV', () => {
    expect(parseImei('490154203237518')).toEqual({ ok: true, core: 49015420323751, imei: '490154203237518' });
    expect(parseImei('49-015420-323751-8')).toEqual({ ok: true, core: 49015420323751, imei: '490154203237518' });
    expect(parseImei('49015420323751')).toMatchObject({ ok: true, imei: '490154203237518' });
    expect(parseImei('3520990017614823')).toMatchObject({ ok: true, imei: '352099001761481' });
  });

  it('names the check digit problem', () => {
    expect(parseImei('490154203237517')).toMatchObject({ ok: false, problem: 'check_digit' });
  });

  it('refuses signs, wrong lengths and letters', () => {
    expect(parseImei('-490154203237518')).toMatchObject({ ok: false, problem: 'malformed' });
    expect(parseImei('+490154203237518')).toMatchObject({ ok: false, problem: 'malformed' });
    expect(parseImei('4901542032375')).toMatchObject({ ok: false, problem: 'malformed' });
    expect(parseImei('49015420323751x')).toMatchObject({ ok: false, problem: 'malformed' });
  });

  it('refuses the all-zero IMEI and any all-zero TAC although they pass Luhn', () => {
    expect(parseImei('000000000000000')).toMatchObject({ ok: false, problem: 'reserved' });
    expect(parseImei(`00000000123456${luhnCheckDigit('00000000123456')}`)).toMatchObject({ ok: false, problem: 'reserved' });
    expect(imeiCoreOrCode('000000000000000')).toBe(-3);
    expect(imeiCoreOrCode('490154203237518')).toBe(49015420323751);
    expect(imeiCoreOrCode('490154203237517')).toBe(-2);
  });
});

describe('registries', () => {
  it('knows the operator codes, and only those', () => {
    expect(isOperatorCode('MCI')).toBe(true);
    expect(isOperatorCode('IRANCELL')).toBe(true);
    expect(isOperatorCode('MTN_IRANCELL')).toBe(false);
    expect(isOperatorCode('FOO')).toBe(false);
  });

  it('checks issuer aliases, roles, GSB environments and service codes', () => {
    expect(isIssuerAlias('ca1')).toBe(true);
    expect(isIssuerAlias('CA1')).toBe(false);
    expect(isIssuerAlias('-ca')).toBe(false);
    expect(isRole('expert')).toBe(true);
    expect(isRole('root')).toBe(false);
    expect(isGsbEnvironment('PGSB')).toBe(true);
    expect(isGsbEnvironment('gsb')).toBe(false);
    expect(isServiceCode('hamta.imei-status')).toBe(true);
    expect(isServiceCode('karpoosheh.send-notice')).toBe(true);
    expect(isServiceCode('hamta')).toBe(false);
    expect(isServiceCode('Hamta.Status')).toBe(false);
    expect(isServiceCode('../etc')).toBe(false);
  });
});
