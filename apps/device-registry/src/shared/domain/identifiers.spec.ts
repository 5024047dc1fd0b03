import { imeiCoreOrCode, imeiFromCore, isValidNationalCode, luhnCheckDigit, parseImei, parseMsisdn } from '@darvazeh/core';

// The registry's expectations of the shared identifiers of @darvazeh/core (its own copies are gone).

describe('IMEI normalisation', () => {
  it('computes the published Luhn check digit 8 for 49015420323751', () => {
    expect(luhnCheckDigit('49015420323751')).toBe(8);
  });

  it('computes check digit 1 for the 3GPP/Wikipedia example 35-209900-176148', () => {
    expect(luhnCheckDigit('35209900176148')).toBe(1);
  });

  it('accepts a 15-digit IMEI whose check digit is right', () => {
    expect(parseImei('490154203237518')).toEqual({ ok: true, core: 49015420323751, imei: '490154203237518' });
  });

  it('rejects a 15-digit IMEI whose check digit is wrong, with its own problem', () => {
    const r = parseImei('490154203237517');
    expect(r.ok).toBe(false);
    expect(r.ok === false && r.problem).toBe('check_digit');
    expect(r.ok === false && r.message).toContain('should be 8');
  });

  it('completes a 14-digit IMEI with its computed check digit', () => {
    expect(parseImei('49015420323751')).toEqual({ ok: true, core: 49015420323751, imei: '490154203237518' });
  });

  it('reduces a 16-digit IMEISV to its 14-digit core and adds the check digit', () => {
    expect(parseImei('3520990017614823')).toEqual({ ok: true, core: 35209900176148, imei: '352099001761481' });
  });

  it('ignores the hyphens and spaces printed on boxes', () => {
    expect(parseImei('35-209900-176148-1')).toMatchObject({ ok: true, imei: '352099001761481' });
  });

  it.each([['1234567890123'], ['12345678901234567'], ['49015420323751a'], [''], ['abc']])(
    'treats %p as malformed',
    (raw) => {
      expect(parseImei(raw)).toMatchObject({ ok: false, problem: 'malformed' });
    },
  );

  it('treats null and undefined as malformed', () => {
    expect(parseImei(null)).toMatchObject({ ok: false, problem: 'malformed' });
    expect(parseImei(undefined)).toMatchObject({ ok: false, problem: 'malformed' });
  });

  it('keeps leading zeros when printing a core back', () => {
    expect(imeiFromCore(1234567890123)).toBe('012345678901237');
  });

  it('has a bulk fast path agreeing with the full parser', () => {
    expect(imeiCoreOrCode('490154203237518')).toBe(49015420323751);
    expect(imeiCoreOrCode('490154203237517')).toBe(-2);
    expect(imeiCoreOrCode('4901542032375')).toBe(-1);
    expect(imeiCoreOrCode('3520990017614823')).toBe(35209900176148);
  });

  it.each(['000000000000000', '00000000123456', '000000001234563', '-490154203237518', '+490154203237518'])('refuses %p (all-zero TAC or a sign)', (raw) => {
    expect(parseImei(raw).ok).toBe(false);
  });

  it('refuses an all-zero TAC on the bulk fast path too', () => {
    expect(imeiCoreOrCode('000000000000000')).toBeLessThan(0);
  });
});

describe('MSISDN normalisation', () => {
  it.each(['09121234567', '9121234567', '989121234567', '+989121234567', '00989121234567', '0912 123 4567', '۰۹۱۲۱۲۳۴۵۶۷'])(
    'maps %p to the international form',
    (raw) => expect(parseMsisdn(raw)).toBe('989121234567'),
  );
  it.each(['02112345678', '0912123456', '+14155550100', 'abc', ''])('rejects %p', (raw) => expect(parseMsisdn(raw)).toBeUndefined());
});

describe('national code', () => {
  it('accepts a code whose check digit matches', () => {
    // 001234567 → Σ = 0·10+0·9+1·8+2·7+3·6+4·5+5·4+6·3+7·2 = 112, 112 mod 11 = 2 → check 9
    expect(isValidNationalCode('0012345679')).toBe(true);
  });
  it('rejects a wrong check digit', () => expect(isValidNationalCode('0012345678')).toBe(false));
  it('rejects repeated digits', () => expect(isValidNationalCode('1111111111')).toBe(false));
  it('rejects wrong length', () => expect(isValidNationalCode('123')).toBe(false));
});
