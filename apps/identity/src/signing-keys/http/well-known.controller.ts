import { Controller, Get, Header, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Public, Roles } from '@darvazeh/auth';
import { IdentitySettings } from '../../config/identity-settings.js';
import { GetJwksUseCase } from '../application/get-jwks.use-case.js';
import { RotateSigningKeyUseCase, type RotationResult } from '../application/rotate-signing-key.use-case.js';

@ApiTags('discovery')
@Controller('.well-known')
export class WellKnownController {
  constructor(
    private readonly jwks: GetJwksUseCase,
    private readonly settings: IdentitySettings,
  ) {}

  /**
   * A new key signs as soon as it is created, so a cached JWKS can lack the kid of a fresh
   * token; verifiers (libs/auth) refetch on an unknown kid, which bypasses their cache. The
   * HTTP cache is kept short (5 min) for proxies between them and us.
   */
  @Get('jwks.json')
  @Public()
  @Header('Cache-Control', 'public, max-age=300')
  @ApiOperation({ summary: 'Public signing keys (JWKS)' })
  getJwks() {
    return this.jwks.execute();
  }

  @Get('openid-configuration')
  @Public()
  @Header('Cache-Control', 'public, max-age=3600')
  @ApiOperation({ summary: 'OpenID Provider metadata' })
  discovery() {
    const issuer = this.settings.issuer.replace(/\/$/, '');
    return {
      issuer: this.settings.issuer,
      jwks_uri: `${issuer}/.well-known/jwks.json`,
      token_endpoint: `${issuer}/oauth/token`,
      grant_types_supported: ['client_credentials'],
      token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
      token_endpoint_auth_signing_alg_values_supported: ['ES256'],
      id_token_signing_alg_values_supported: ['ES256'],
      response_types_supported: ['token'],
      subject_types_supported: ['public'],
      claims_supported: ['iss', 'aud', 'sub', 'exp', 'iat', 'jti', 'client_id', 'roles', 'agency_id', 'national_code', 'operator_code', 'ca_issuers', 'scope'],
    };
  }
}

@ApiTags('signing-keys')
@ApiBearerAuth()
@Roles('admin')
@Controller('signing-keys')
export class SigningKeysController {
  constructor(private readonly rotate: RotateSigningKeyUseCase) {}

  /** Rotates now: the new key signs from this moment; the old one stays published until its tokens expired. */
  @Post('rotate')
  @HttpCode(200)
  @ApiOperation({ summary: 'Rotate the signing key now' })
  rotateNow(): Promise<RotationResult> {
    return this.rotate.execute({ mode: 'force' });
  }
}
