import { formatMsisdnNational, parseImei } from '@darvazeh/core';
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
  /**
   * … and that sighting (one IMSI's, from its first to its last pre-cut-off day) overlaps a time
   * the caller held the MSISDN: a recycled number owned then by someone else does not count.
   */
  seenBeforeCutoffWithMsisdnOwned: boolean;
  registeredTo: string | null;
  stolen: boolean;
  blocked: boolean;
}

export interface DecisionInput {
  nationalCode: string;
  msisdn: string;
  /** National code currently holding the MSISDN (Shahkar-like), null when unknown. */
  msisdnOwner: string | null;
  /** The valid requested IMEIs (invalid ones are reasons of their own, see parseRequestedImeis). */
  imeis: ImeiFacts[];
  /** The scheme's cut-off day (YYYY-MM-DD), stated in the messages. */
  cutoffDate: string;
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

/** Both IMEIs of one dual-SIM device share their type allocation code (first 8 digits). */
const tac = (f: ImeiFacts) => Math.floor(f.core / 1e6);

/**
 * Every failing rule is reported (not just the first) so the caller can fix everything at once;
 * invalid IMEIs (reasons from parseRequestedImeis) do not stop the other rules being checked.
 * A dual-SIM device passes when one of its IMEIs was on the network before the cut-off with the
 * named SIM while the caller held it; its other IMEI may have been seen with another SIM, or never
 * (the second slot unused) if it has the same TAC, as both IMEIs of one device have.
 */
export function decideRegistration(input: DecisionInput): Decision {
  const reasons: Reason[] = [];
  const msisdn = formatMsisdnNational(input.msisdn);
  const cutoff = input.cutoffDate;
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
      message: `mobile number ${msisdn} is not registered to your national code`,
      hint: 'Use a SIM card registered in your name, or have the SIM transferred to you at your operator first.',
    });
  }
  const anchors = input.imeis.filter((f) => f.seenBeforeCutoffWithMsisdnOwned);
  const unseen = input.imeis.filter((f) => !f.seenBeforeCutoff);
  for (const f of unseen) {
    const unusedSlot = anchors.some((a) => tac(a) === tac(f));
    if (unusedSlot) continue;
    const otherSeen = input.imeis.some((o) => o !== f && o.seenBeforeCutoff);
    reasons.push({
      code: REASON.NOT_SEEN_BEFORE_CUTOFF,
      message: `IMEI ${f.imei} was not seen on any operator's network before the scheme's cut-off date (${cutoff})`,
      hint: otherSeen
        ? "Both IMEIs of one dual-SIM device start with the same 8 digits (TAC): check this one with *#06#; an unused second slot is accepted when its TAC matches the slot used before the cut-off."
        : 'Only devices in use before the cut-off can be added here; register it through customs or a guarantee shop instead.',
      imei: f.imei,
    });
  }
  const seenWith = input.imeis.some((f) => f.seenBeforeCutoffWithMsisdn);
  const ownsNow = input.msisdnOwner === input.nationalCode;
  // Seen with the number but not while the caller held it: worth its own reason only when the
  // caller holds it now (otherwise MSISDN_NOT_OWNED already says it all).
  if (anchors.length === 0 && unseen.length < input.imeis.length && (!seenWith || ownsNow)) {
    reasons.push(
      seenWith
        ? {
            code: REASON.MSISDN_NOT_OWNED_WHEN_SEEN,
            message: `the device was used with ${msisdn} before the cut-off date (${cutoff}) only while the number belonged to someone else`,
            hint: 'A mobile number reassigned to you later does not prove this device was yours: enter the number of the SIM that was in it, in your name, before the cut-off.',
          }
        : {
            code: REASON.SIM_MISMATCH,
            message: `the device was not used with ${msisdn} before the cut-off date (${cutoff})`,
            hint: 'Enter the mobile number of the SIM card that was in this device before the cut-off.',
          },
    );
  }
  return reasons.length === 0 ? { outcome: 'approved', reasons: [] } : { outcome: 'rejected', reasons };
}
