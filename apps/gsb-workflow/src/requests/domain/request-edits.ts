import type { DraftFields, RequestRecord } from './request.js';

/** Draft fields that are objects of sub-fields: an edit names the sub-field (`letter.number`). */
const OBJECT_FIELDS = ['system', 'letter', 'contact', 'credential'] as const satisfies readonly (keyof DraftFields)[];
const VALUE_FIELDS = ['connectionEnvironments', 'systems', 'ipRanges', 'requestedQuotaPerMinute', 'requestedQuotaPerDay'] as const satisfies readonly (keyof DraftFields)[];

const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/**
 * The paths of the fields an edit changed, sorted — what the history and `gsb.request.edited`
 * record of an edit: which fields, never their values. A field set to what it already was is
 * no change.
 */
export function changedFields(before: RequestRecord, after: RequestRecord): string[] {
  const out: string[] = [];
  if (!same(before.environment, after.environment)) out.push('environment');
  if (!same(before.serviceCode, after.serviceCode)) out.push('serviceCode');
  for (const f of OBJECT_FIELDS) {
    const a = (before.draft[f] ?? {}) as Record<string, unknown>;
    const b = (after.draft[f] ?? {}) as Record<string, unknown>;
    for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) if (!same(a[k], b[k])) out.push(`${f}.${k}`);
  }
  for (const f of VALUE_FIELDS) if (!same(before.draft[f], after.draft[f])) out.push(f);
  if (!same(before.letterFile, after.letterFile)) out.push('letterFile');
  return out.sort();
}
