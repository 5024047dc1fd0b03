import { isIssuerAlias, isOperatorCode, OPERATOR_CODES, SERVICE_PRINCIPAL_ROLES, type Role } from '@darvazeh/core';
import { CLIENT_ID_PATTERN } from './client-credentials.js';
import { ServiceClientActiveError, ServiceClientDisabledError, ServicePrincipalInvalidError } from './client.errors.js';

export type ServiceClientStatus = 'active' | 'disabled';

export interface ServiceClientProps {
  id: string;
  clientId: string;
  secretHash: string;
  displayName: string;
  roles: Role[];
  scopes: string[];
  agencyId: string | null;
  operatorCode: string | null;
  /** For role `ca`: the aliases of the issuing CAs (as the OCSP responder names them) it acts for. */
  caIssuers: string[] | null;
  status: ServiceClientStatus;
  createdAt: Date;
  secretRotatedAt: Date;
  disabledAt: Date | null;
}

const SCOPE_PATTERN = /^[\x21\x23-\x5B\x5D-\x7E]+$/; // RFC 6749 §3.3 scope-token

export function validateScopes(scopes: string[]): string[] {
  const unique = [...new Set(scopes)];
  for (const s of unique) {
    if (!SCOPE_PATTERN.test(s)) throw new ServicePrincipalInvalidError('scopes', `contains an invalid scope token "${s}"`);
  }
  return unique;
}

/**
 * A confidential OAuth client (RFC 6749 client credentials): an agency's system, a telecom
 * operator, a CA operator, an ITO expert or an admin. Only the secret's hash is kept.
 */
export class ServiceClient {
  private constructor(private props: ServiceClientProps) {}

  static forAgency(input: {
    id: string;
    clientId: string;
    secretHash: string;
    agencyId: string;
    displayName: string;
    scopes?: string[];
    now: Date;
  }): ServiceClient {
    return new ServiceClient({
      id: input.id,
      clientId: input.clientId,
      secretHash: input.secretHash,
      displayName: input.displayName,
      roles: ['agency'],
      scopes: validateScopes(input.scopes ?? []),
      agencyId: input.agencyId,
      operatorCode: null,
      caIssuers: null,
      status: 'active',
      createdAt: input.now,
      secretRotatedAt: input.now,
      disabledAt: null,
    });
  }

  static servicePrincipal(input: {
    id: string;
    clientId: string;
    secretHash: string;
    displayName: string;
    roles: string[];
    operatorCode?: string | null;
    caIssuers?: string[] | null;
    scopes?: string[];
    now: Date;
  }): ServiceClient {
    if (!CLIENT_ID_PATTERN.test(input.clientId)) {
      throw new ServicePrincipalInvalidError('clientId', 'must be 3-64 lowercase letters, digits, ".", "_" or "-"');
    }
    const displayName = input.displayName.trim();
    if (displayName.length === 0 || displayName.length > 200) {
      throw new ServicePrincipalInvalidError('name', 'must be 1-200 characters');
    }
    const roles = [...new Set(input.roles)];
    if (roles.length === 0) throw new ServicePrincipalInvalidError('roles', 'must name at least one role');
    for (const role of roles) {
      if (!(SERVICE_PRINCIPAL_ROLES as readonly string[]).includes(role)) {
        throw new ServicePrincipalInvalidError('roles', `must each be one of ${SERVICE_PRINCIPAL_ROLES.join(', ')}`);
      }
    }
    const isOperator = roles.includes('operator');
    const operatorCode = input.operatorCode ?? null;
    // One registry of operators (@darvazeh/core): a code device-registry does not know would
    // only fail later, at the operator's first upload.
    if (isOperator && !isOperatorCode(operatorCode)) {
      throw new ServicePrincipalInvalidError('operatorCode', `is required for the operator role: one of ${OPERATOR_CODES.join(', ')}`);
    }
    if (!isOperator && operatorCode !== null) {
      throw new ServicePrincipalInvalidError('operatorCode', 'is only allowed with the operator role');
    }
    // A CA operator acts for named issuing CAs only: a token for one CA must not revoke another's
    // certificates at the OCSP responder.
    const isCa = roles.includes('ca');
    const caIssuers = input.caIssuers ? [...new Set(input.caIssuers)] : null;
    if (isCa && (caIssuers === null || caIssuers.length === 0 || caIssuers.some((a) => !isIssuerAlias(a)))) {
      throw new ServicePrincipalInvalidError('caIssuers', 'is required for the ca role: issuer aliases of lowercase letters, digits and "-"');
    }
    if (!isCa && caIssuers !== null) {
      throw new ServicePrincipalInvalidError('caIssuers', 'is only allowed with the ca role');
    }
    return new ServiceClient({
      id: input.id,
      clientId: input.clientId,
      secretHash: input.secretHash,
      displayName,
      roles: roles as Role[],
      scopes: validateScopes(input.scopes ?? []),
      agencyId: null,
      operatorCode,
      caIssuers,
      status: 'active',
      createdAt: input.now,
      secretRotatedAt: input.now,
      disabledAt: null,
    });
  }

  static restore(props: ServiceClientProps): ServiceClient {
    return new ServiceClient({ ...props, roles: [...props.roles], scopes: [...props.scopes], caIssuers: props.caIssuers ? [...props.caIssuers] : null });
  }

  get id(): string {
    return this.props.id;
  }
  get clientId(): string {
    return this.props.clientId;
  }
  get secretHash(): string {
    return this.props.secretHash;
  }
  get displayName(): string {
    return this.props.displayName;
  }
  get roles(): Role[] {
    return [...this.props.roles];
  }
  get scopes(): string[] {
    return [...this.props.scopes];
  }
  get agencyId(): string | null {
    return this.props.agencyId;
  }
  get operatorCode(): string | null {
    return this.props.operatorCode;
  }

  get caIssuers(): string[] | null {
    return this.props.caIssuers ? [...this.props.caIssuers] : null;
  }
  get status(): ServiceClientStatus {
    return this.props.status;
  }
  get isActive(): boolean {
    return this.props.status === 'active';
  }
  get createdAt(): Date {
    return this.props.createdAt;
  }
  get secretRotatedAt(): Date {
    return this.props.secretRotatedAt;
  }
  get disabledAt(): Date | null {
    return this.props.disabledAt;
  }

  /** Replaces the hash: the old secret stops working the moment this row commits. */
  rotateSecret(secretHash: string, now: Date): void {
    if (!this.isActive) throw new ServiceClientDisabledError(this.id);
    this.props = { ...this.props, secretHash, secretRotatedAt: now };
  }

  disable(now: Date): void {
    if (!this.isActive) throw new ServiceClientDisabledError(this.id);
    this.props = { ...this.props, status: 'disabled', disabledAt: now };
  }

  /** Active again: its secret (rotate it if it may have leaked) obtains tokens again. */
  enable(): void {
    if (this.isActive) throw new ServiceClientActiveError(this.id);
    this.props = { ...this.props, status: 'active', disabledAt: null };
  }

  /**
   * RFC 6749 §3.3: an omitted scope means the client's default (all it may have); a requested
   * scope must be a subset. Returns the scopes to grant or the ones that are not allowed.
   */
  grantScopes(requested: string[] | undefined): { granted: string[] } | { refused: string[] } {
    if (requested === undefined || requested.length === 0) return { granted: this.scopes };
    const refused = requested.filter((s) => !this.props.scopes.includes(s));
    return refused.length > 0 ? { refused } : { granted: [...new Set(requested)] };
  }

  toProps(): ServiceClientProps {
    return { ...this.props, roles: [...this.props.roles], scopes: [...this.props.scopes] };
  }
}
