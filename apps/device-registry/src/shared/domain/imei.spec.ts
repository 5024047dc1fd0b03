import { imeiCoreOrCode, imeiFromCore, luhnCheckDigit, parseImei } from './imei.js';

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
});
