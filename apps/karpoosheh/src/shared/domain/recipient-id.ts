import { parseCompanyNationalId, parseNationalCode } from '@darvazeh/core';
import { invalid } from './karpoosheh.errors.js';

export type RecipientKind = 'citizen' | 'company';

export interface RecipientId {
  /** Canonical ASCII digits: 10 for a citizen's national code, 11 for a company's national ID. */
  id: string;
  kind: RecipientKind;
}

/**
 * A recipient as an agency typed it: a citizen's national code (10 digits, check digit) or a
 * company's national ID (11 digits, check digit). Persian and Arabic-Indic digits are accepted;
 * the rules themselves live in @darvazeh/core. Returns null when neither parses.
 */
export function parseRecipient(input: string): RecipientId | null {
  const text = input.trim();
  const citizen = parseNationalCode(text);
  if (citizen) return { id: citizen, kind: 'citizen' };
  const company = parseCompanyNationalId(text);
  if (company) return { id: company, kind: 'company' };
  return null;
}

export function recipientKindOf(id: string): RecipientKind {
  return id.length === 11 ? 'company' : 'citizen';
}

export interface ParsedRecipients {
  recipients: RecipientId[];
  /** Duplicates are folded: one inbox entry per recipient. */
  duplicates: number;
}

/**
 * Parses every recipient, all or nothing: a list with a malformed entry is refused whole
 * (bad input writes nothing), naming up to 20 bad positions.
 */
export function parseRecipientList(inputs: readonly string[], maxRecipients: number): ParsedRecipients {
  if (inputs.length === 0) throw invalid('KARPOOSHEH.NO_RECIPIENTS', 'A notice needs at least one recipient.', [{ field: 'recipients', message: 'empty' }]);
  if (inputs.length > maxRecipients) {
    throw invalid('KARPOOSHEH.TOO_MANY_RECIPIENTS', `At most ${maxRecipients} recipients per notice; got ${inputs.length}.`, [
      { field: 'recipients', message: `more than ${maxRecipients}` },
    ]);
  }
  const seen = new Set<string>();
  const recipients: RecipientId[] = [];
  const bad: { field: string; message: string }[] = [];
  let badCount = 0;
  for (let i = 0; i < inputs.length; i++) {
    const parsed = typeof inputs[i] === 'string' ? parseRecipient(inputs[i]) : null;
    if (!parsed) {
      badCount++;
      if (bad.length < 20) bad.push({ field: `recipients[${i}]`, message: 'not a valid national code (10 digits) or company national ID (11 digits): check digit or length wrong' });
      continue;
    }
    if (seen.has(parsed.id)) continue;
    seen.add(parsed.id);
    recipients.push(parsed);
  }
  if (badCount > 0) {
    throw invalid('KARPOOSHEH.RECIPIENT_INVALID', `${badCount} recipient(s) are not valid national codes or company national IDs; nothing was sent.`, bad);
  }
  return { recipients, duplicates: inputs.length - recipients.length };
}
