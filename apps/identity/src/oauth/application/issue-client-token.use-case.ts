import { randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { AgencyRepository } from '../../agencies/domain/agency.repository.js';
import { InvalidClientError, InvalidScopeError } from '../../clients/domain/client.errors.js';
import { SecretHasher } from '../../clients/domain/secret-hasher.js';
import { ServiceClientRepository } from '../../clients/domain/service-client.repository.js';
import { AccessTokenSigner } from '../../signing-keys/application/access-token-signer.js';

export interface IssueClientTokenInput {
  clientId: string;
  clientSecret: string;
  /** Space-separated scope string split into tokens; undefined when the request had none. */
  scope?: string[];
}

export interface IssuedToken {
  accessToken: string;
  expiresIn: number;
  scope: string[];
}

/** RFC 6749 §4.4 client credentials grant. */
@Injectable()
export class IssueClientTokenUseCase {
  /** Hash of a random value with the live parameters: verifying against it costs what a real check costs. */
  private dummyHash?: Promise<string>;

  constructor(
    private readonly clients: ServiceClientRepository,
    private readonly agencies: AgencyRepository,
    private readonly hasher: SecretHasher,
    private readonly signer: AccessTokenSigner,
  ) {}

  async execute(input: IssueClientTokenInput): Promise<IssuedToken> {
    const client = await this.clients.findByClientId(input.clientId);
    // Hash even for unknown clients so response time does not reveal which client ids exist.
    const secretOk = await this.hasher.verify(input.clientSecret, client?.secretHash ?? (await this.dummy()));
    if (!client || !secretOk || !client.isActive) throw new InvalidClientError();
    if (client.agencyId) {
      const agency = await this.agencies.findById(client.agencyId);
      if (!agency?.isActive) throw new InvalidClientError();
    }
    const grant = client.grantScopes(input.scope);
    if ('refused' in grant) throw new InvalidScopeError(grant.refused);
    const signed = await this.signer.sign({
      // RFC 9068 §2.2: with no resource owner, `sub` names the client; client_id stays stable across rotations.
      sub: client.clientId,
      clientId: client.clientId,
      roles: client.roles,
      agencyId: client.agencyId ?? undefined,
      operatorCode: client.operatorCode ?? undefined,
      caIssuers: client.caIssuers ?? undefined,
      scope: grant.granted,
    });
    return { accessToken: signed.token, expiresIn: signed.expiresIn, scope: grant.granted };
  }

  private dummy(): Promise<string> {
    this.dummyHash ??= this.hasher.hash(randomBytes(32).toString('base64url'));
    return this.dummyHash;
  }
}
