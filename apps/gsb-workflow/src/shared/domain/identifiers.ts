// Platform rules (libs/core). TEMPORARY until the platform commit lands: then this file only re-exports.
export const GSB_ENVIRONMENTS = ['GSB', 'PGSB'] as const;
export type GsbEnvironment = (typeof GSB_ENVIRONMENTS)[number];
export const isGsbEnvironment = (v: unknown): v is GsbEnvironment => v === 'GSB' || v === 'PGSB';
export const isServiceCode = (v: string) => /^[a-z][a-z0-9-]*(\.[a-z][a-z0-9-]*)+$/.test(v);
export const toAsciiDigits = (s: string) => s.replace(/[۰-۹]/g, (d) => String(d.charCodeAt(0) - 0x06f0)).replace(/[٠-٩]/g, (d) => String(d.charCodeAt(0) - 0x0660));
export function parseMsisdn(s: string): string | null {
  const d = toAsciiDigits(s).replace(/[\s-]/g, '');
  const m = /^(?:\+?98|0098|0)?(9\d{9})$/.exec(d);
  return m ? `98${m[1]}` : null;
}
