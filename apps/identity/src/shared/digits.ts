const PERSIAN = '۰۱۲۳۴۵۶۷۸۹';
const ARABIC_INDIC = '٠١٢٣٤٥٦٧٨٩';

/**
 * Persian and Arabic-Indic digits → ASCII. Iranian users type national codes and phone
 * numbers on Persian keyboards; rejecting `۰۹۱۲…` as "not digits" would be a usability bug.
 */
export function toAsciiDigits(input: string): string {
  let out = '';
  for (const ch of input) {
    const p = PERSIAN.indexOf(ch);
    const a = ARABIC_INDIC.indexOf(ch);
    out += p >= 0 ? String(p) : a >= 0 ? String(a) : ch;
  }
  return out;
}
