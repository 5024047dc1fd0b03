import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { importPKCS8, SignJWT, type CryptoKey } from 'jose';
import { Clock } from '../../shared/clock.js';
import type { Role } from '@darvazeh/core';
import { IdentitySettings } from '../../config/identity-settings.js';
import { PrivateKeyCipher } from '../domain/private-key-cipher.js';
import { NoActiveSigningKeyError } from '../domain/signing-key.errors.js';
import { SigningKeyRepository } from '../domain/signing-key.repository.js';

export interface AccessTokenSubject {
  sub: string;
  /** RFC 9068 `client_id`, for tokens obtained by a client (absent for citizen logins). */
  clientId?: string;
  roles: Role[];
  agencyId?: string;
  nationalCode?: string;
  operatorCode?: string;
  caIssuers?: string[];
  scope: string[];
}

export interface SignedAccessToken {
  token: string;
  expiresIn: number;
  jti: string;
  kid: string;
}

/**
 * Signs access tokens (RFC 9068 profile) with the current active key. The active key is read
 * from the database on each call rather than cached, so after a rotation by any replica every
 * replica signs with the new key on its next token; decrypted keys are cached by kid.
 */
@Injectable()
export class AccessTokenSigner {
  private readonly decrypted = new Map<string, Promise<CryptoKey>>();

  constructor(
    private readonly keys: SigningKeyRepository,
    private readonly cipher: PrivateKeyCipher,
    private readonly settings: IdentitySettings,
    private readonly clock: Clock,
  ) {}

  async sign(subject: AccessTokenSubject): Promise<SignedAccessToken> {
    const key = await this.keys.findActive();
    if (!key || !key.privateKeyCiphertext) throw new NoActiveSigningKeyError();
    const privateKey = this.privateKeyFor(key.kid, key.privateKeyCiphertext);
    const iat = Math.floor(this.clock.now().getTime() / 1000);
    const ttl = this.settings.tokenTtlSeconds;
    const jti = randomUUID();
    const claims: Record<string, unknown> = { roles: subject.roles, scope: subject.scope.join(' ') };
    if (subject.clientId) claims.client_id = subject.clientId;
    if (subject.agencyId) claims.agency_id = subject.agencyId;
    if (subject.nationalCode) claims.national_code = subject.nationalCode;
    if (subject.operatorCode) claims.operator_code = subject.operatorCode;
    if (subject.caIssuers) claims.ca_issuers = subject.caIssuers;
    const token = await new SignJWT(claims)
      .setProtectedHeader({ alg: 'ES256', kid: key.kid, typ: 'at+jwt' })
      .setIssuer(this.settings.issuer)
      .setAudience(this.settings.audience)
      .setSubject(subject.sub)
      .setIssuedAt(iat)
      .setExpirationTime(iat + ttl)
      .setJti(jti)
      .sign(await privateKey);
    return { token, expiresIn: ttl, jti, kid: key.kid };
  }

  private privateKeyFor(kid: string, ciphertext: string): Promise<CryptoKey> {
    let key = this.decrypted.get(kid);
    if (!key) {
      key = importPKCS8(this.cipher.decrypt(ciphertext, kid), 'ES256');
      key.catch(() => this.decrypted.delete(kid));
      this.decrypted.set(kid, key);
    }
    return key;
  }
}
