import { defaultOperatorPlmns, isOperatorCode, OPERATOR_CODES } from '@darvazeh/core';

/** IMSI = MCC(3) + MNC(2 in Iran) + MSIN; 15 digits. Returns the PLMN (MCC+MNC) or null. */
export function imsiPlmn(raw: string | null | undefined, mncLength = 2): string | null {
  const s = (raw ?? '').trim();
  if (!/^\d{15}$/.test(s)) return null;
  return s.slice(0, 3 + mncLength);
}

/**
 * The operators this registry takes data from and their PLMN ids: the `OPERATORS` registry of
 * @darvazeh/core, with the PLMN lists of the operators named in `spec`
 * (`MCI:43211,IRANCELL:43235,IRANCELL:43236`) replacing the registry's (new MVNO ranges).
 * An operator code outside the registry is a configuration error.
 */
export function parseOperatorPlmns(spec: string): Record<string, string[]> {
  const out: Record<string, string[]> = defaultOperatorPlmns();
  const overridden = new Set<string>();
  for (const part of spec.split(',').map((p) => p.trim()).filter(Boolean)) {
    const [code, plmn] = part.split(':').map((p) => p.trim());
    if (!code || !plmn || !/^\d{5,6}$/.test(plmn)) throw new Error(`bad operator PLMN entry "${part}"`);
    if (!isOperatorCode(code)) throw new Error(`unknown operator "${code}" in OPERATOR_PLMNS (operators: ${OPERATOR_CODES.join(', ')})`);
    if (!overridden.has(code)) {
      overridden.add(code);
      out[code] = [];
    }
    out[code].push(plmn);
  }
  return out;
}
