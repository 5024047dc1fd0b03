import { randomBytes } from 'node:crypto';

/** 256 bits from the CSPRNG: a secret nobody can guess, so a slow hash only has to resist offline attacks. */
export function generateClientSecret(): string {
  return randomBytes(32).toString('base64url');
}

/** Public identifier; readable prefix tells operators what kind of principal it is. */
export function generateClientId(prefix: string): string {
  return `${prefix}-${randomBytes(9).toString('base64url').replace(/[^A-Za-z0-9]/g, 'x').toLowerCase()}`;
}

export const CLIENT_ID_PATTERN = /^[a-z0-9][a-z0-9._-]{2,63}$/;
