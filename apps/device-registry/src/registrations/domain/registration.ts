import { parseImei } from '@darvazeh/core';
import { REASON, type ReasonCode } from '../../shared/domain/hamta.errors.js';

/**
 * Rules of the pre-scheme registration (Hamta service 13071972103): a device may be added by
 * its owner only if an operator saw it before the scheme's cut-off with the SIM (MSISDN) the
 * owner names, the owner holds that SIM, and nobody else owns the device or reported it stolen.
 */

export interface Reason {
  code: ReasonCode;
  message: string;
  /** What the caller can do next. */
  hint: string;
  imei?: string;
}

/** What the registry knows about one (valid) IMEI when the decision is taken. */
export interface ImeiFacts {
  core: number;
  imei: string;
  /** Some operator saw it before the cut-off (any SIM). */
  seenBeforeCutoff: boolean;
  /** Some operator saw it before the cut-off with the MSISDN the caller named. */
  seenBeforeCutoffWithMsisdn: boolean;
  registeredTo: string | null;
  stolen: boolean;
  blocked: boolean;
}

export interface DecisionInput {
  nationalCode: string;
  msisdn: string;
  /** National code currently holding the MSISDN (Shahkar-like), null when unknown. */
  msisdnOwner: string | null;
  imeis: ImeiFacts[];
}

export type Decision =
  | { outcome: 'approved'; reasons: [] }
  | { outcome: 'rejected'; reasons: Reason[] };

export interface ParsedImeis {
  valid: { core: number; imei: string }[];
  invalid: Reason[];
}

/** Validates the requested IMEIs; invalid ones become rejection reasons (the decision is recorded). */
export function parseRequestedImeis(raw: string[]): ParsedImeis {
  const valid: { core: number; imei: string }[] = [];
  const invalid: Reason[] = [];
  for (const r of raw) {
    const p = parseImei(r);
    if (!p.ok) {
      invalid.push({
        code: p.problem === 'check_digit' ? REASON.IMEI_CHECK_DIGIT : REASON.IMEI_INVALID,
        message: `IMEI "${r}": ${p.message}`,
        hint: 'Dial *#06# on the device to read its IMEI(s) and enter them exactly (15 digits each).',
        imei: r,
      });
    } else if (valid.some((v) => v.core === p.core)) {
      invalid.push({
        code: REASON.DUPLICATE_IMEI,
        message: `IMEI ${p.imei} is listed twice`,
        hint: 'A dual-SIM device has two different IMEIs; list each once.',
        imei: p.imei,
      });
    } else {
      valid.push({ core: p.core, imei: p.imei });
    }
  }
  return { valid, invalid };
}

/**
 * Every failing rule is reported (not just the first) so the caller can fix everything at once.
 * A dual-SIM device passes when every IMEI was on the network before the cut-off and at least
 * one of them with the named SIM (the second slot may have held another SIM or none).
 */
export function decideRegistration(input: DecisionInput): Decision {
  const reasons: Reason[] = [];
  for (const f of input.imeis) {
    if (f.blocked) {
      reasons.push({
        code: REASON.DEVICE_BLOCKED,
        message: `IMEI ${f.imei} is blocked by the regulator`,
        hint: 'Contact the registry support office with the device and your ID card.',
        imei: f.imei,
      });
    } else if (f.stolen) {
      reasons.push({
        code: REASON.REPORTED_STOLEN,
        message: `IMEI ${f.imei} is reported lost or stolen`,
        hint: 'If this is your recovered device, its owner must mark it recovered first; otherwise hand it to the police.',
        imei: f.imei,
      });
    }
    if (f.registeredTo !== null) {
      const mine = f.registeredTo === input.nationalCode;
      reasons.push({
        code: REASON.ALREADY_REGISTERED,
        message: mine
          ? `IMEI ${f.imei} is already registered to you`
          : `IMEI ${f.imei} is registered to another person`,
        hint: mine
          ? 'Nothing to do: it is listed under your devices.'
          : 'Ask the registered owner to transfer it to your national code from their device list.',
        imei: f.imei,
      });
    }
  }
  if (input.msisdnOwner !== input.nationalCode) {
    reasons.push({
      code: REASON.MSISDN_NOT_OWNED,
      message: `mobile number ${input.msisdn} is not registered to your national code`,
      hint: 'Use a SIM card registered in your name, or have the SIM transferred to you at your operator first.',
    });
  }
  const unseen = input.imeis.filter((f) => !f.seenBeforeCutoff);
  for (const f of unseen) {
    reasons.push({
      code: REASON.NOT_SEEN_BEFORE_CUTOFF,
      message: `IMEI ${f.imei} was not seen on any operator's network before the scheme's cut-off date`,
      hint: 'Only devices in use before the cut-off can be added here; register it through customs or a guarantee shop instead.',
      imei: f.imei,
    });
  }
  if (unseen.length < input.imeis.length && !input.imeis.some((f) => f.seenBeforeCutoffWithMsisdn)) {
    reasons.push({
      code: REASON.SIM_MISMATCH,
      message: `the device was not used with ${input.msisdn} before the cut-off date`,
      hint: 'Enter the mobile number of the SIM card that was in this device before the cut-off.',
    });
  }
  return reasons.length === 0 ? { outcome: 'approved', reasons: [] } : { outcome: 'rejected', reasons };
}
