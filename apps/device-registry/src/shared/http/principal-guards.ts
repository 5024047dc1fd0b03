import type { Principal } from '@darvazeh/auth';
import { ForbiddenError } from '../domain/hamta.errors.js';

/** Citizens act as the national code in their token, never one from the request. */
export function requireNationalCode(p: Principal): string {
  if (!p.nationalCode) throw new ForbiddenError('HAMTA.NO_NATIONAL_CODE', 'your token carries no national code', 'Sign in as a citizen.');
  return p.nationalCode;
}

/** An operator reads and writes only its own data: the token's operator_code must be the path's. */
export function requireOperator(p: Principal, code?: string): string {
  if (!p.operatorCode) throw new ForbiddenError('HAMTA.NO_OPERATOR_CODE', 'your token is not bound to an operator');
  if (code !== undefined && p.operatorCode !== code) {
    throw new ForbiddenError('HAMTA.OTHER_OPERATOR', `your token is bound to operator ${p.operatorCode}, not ${code}`);
  }
  return p.operatorCode;
}
