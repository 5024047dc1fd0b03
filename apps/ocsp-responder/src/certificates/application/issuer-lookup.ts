import { IssuerUnknownError } from '../../issuers/domain/issuer.errors.js';
import type { ActiveIssuer, IssuerDirectory } from '../../issuers/application/issuer-directory.js';

export function requireIssuer(directory: IssuerDirectory, alias: string): ActiveIssuer {
  const issuer = directory.get(alias);
  if (!issuer) throw new IssuerUnknownError(alias);
  return issuer;
}
